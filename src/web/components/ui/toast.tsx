import * as RadixToast from '@radix-ui/react-toast';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export interface ToastMessage {
  title: string;
  description?: string;
  variant?: 'info' | 'error';
}

export interface ToastEntry extends ToastMessage {
  id: number;
}

/** Toasts shown at once: more would cover the page; the newest replace the oldest. */
export const MAX_TOASTS = 3;

const sameMessage = (a: ToastMessage, b: ToastMessage) =>
  a.title === b.title && a.description === b.description && (a.variant ?? 'info') === (b.variant ?? 'info');

/**
 * The toasts after `message` is shown: a message identical to one on screen replaces it (it moves to the end and
 * its timer starts again) instead of stacking a copy; beyond `MAX_TOASTS` the oldest go.
 */
export function addToast(current: readonly ToastEntry[], message: ToastMessage, id: number): ToastEntry[] {
  const others = current.filter((t) => !sameMessage(t, message));
  return [...others, { ...message, id }].slice(-MAX_TOASTS);
}

const ToastContext = createContext<((message: ToastMessage) => void) | null>(null);

/** Toasts announce results in a live region (errors assertively) and go away by themselves. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const show = useCallback((message: ToastMessage) => {
    setToasts((current) => addToast(current, message, Date.now() + Math.random()));
  }, []);
  const remove = (id: number) => setToasts((current) => current.filter((t) => t.id !== id));

  return (
    <ToastContext.Provider value={show}>
      <RadixToast.Provider swipeDirection="right" duration={6000}>
        {children}
        {toasts.map((toast) => (
          <RadixToast.Root
            key={toast.id}
            className={`toast toast--${toast.variant ?? 'info'}`}
            type={toast.variant === 'error' ? 'foreground' : 'background'}
            onOpenChange={(open) => {
              if (!open) remove(toast.id);
            }}
          >
            <RadixToast.Title className="toast__title">{toast.title}</RadixToast.Title>
            {toast.description ? (
              <RadixToast.Description className="toast__description">
                {toast.description}
              </RadixToast.Description>
            ) : null}
            <RadixToast.Close className="toast__close" aria-label="Dismiss">
              ×
            </RadixToast.Close>
          </RadixToast.Root>
        ))}
        <RadixToast.Viewport className="toast-viewport" label="Notifications ({hotkey})" />
      </RadixToast.Provider>
    </ToastContext.Provider>
  );
}

export function useToast(): (message: ToastMessage) => void {
  const show = useContext(ToastContext);
  return useMemo(() => show ?? (() => undefined), [show]);
}
