import * as RadixToast from '@radix-ui/react-toast';
import type { ToastEntry } from './toast';

/**
 * The toasts on screen and their Notifications region (Radix Toast): loaded after the first screen (see
 * `ToastProvider`), so the first screen does not wait for Radix.
 */
export function ToastLayer({ toasts, onRemove }: { toasts: ToastEntry[]; onRemove: (id: number) => void }) {
  return (
    <RadixToast.Provider swipeDirection="right" duration={6000}>
      {toasts.map((toast) => (
        <RadixToast.Root
          key={toast.id}
          className={`toast toast--${toast.variant ?? 'info'}`}
          type={toast.variant === 'error' ? 'foreground' : 'background'}
          onOpenChange={(open) => {
            if (!open) onRemove(toast.id);
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
  );
}
