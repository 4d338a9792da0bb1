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
          className={`toast toast--${toast.variant ?? 'info'}${toast.action ? ' toast--with-action' : ''}`}
          type={toast.variant === 'error' || toast.action ? 'foreground' : 'background'}
          // Time to read it and reach its button (Radix pauses while hovered or focused).
          duration={toast.action ? 10_000 : 6000}
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
          {toast.action ? (
            <RadixToast.Action
              className="toast__action"
              altText={toast.action.undo ? `${toast.action.label} (Ctrl+Z)` : toast.action.label}
              aria-keyshortcuts={toast.action.undo ? 'Control+Z Meta+Z' : undefined}
              onClick={() => {
                onRemove(toast.id);
                toast.action?.run();
              }}
            >
              {toast.action.label}
            </RadixToast.Action>
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
