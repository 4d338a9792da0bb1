import {
  createContext,
  lazy,
  Suspense,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { whenIdle } from './when-idle';

export interface ToastMessage {
  title: string;
  description?: string;
  variant?: 'info' | 'error';
  /** A button on the toast ("Undo"). An `undo` action also runs on Ctrl/⌘+Z while its toast is shown. */
  action?: { label: string; run: () => void; undo?: boolean };
}

export interface ToastEntry extends ToastMessage {
  id: number;
}

/** Ctrl/⌘+Z, unless it goes to a text field (there it undoes typing). */
function isUndoKey(event: KeyboardEvent): boolean {
  if (
    event.key.toLowerCase() !== 'z' ||
    !(event.ctrlKey || event.metaKey) ||
    event.shiftKey ||
    event.altKey
  ) {
    return false;
  }
  const target = event.target as HTMLElement | null;
  return !target?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
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

// The Radix part (toasts and their region) loads when the browser is idle after the first screen, or at the
// first toast if that comes sooner; a toast shown before it has loaded appears as soon as it has.
const ToastLayer = lazy(() => import('./toast-layer').then((m) => ({ default: m.ToastLayer })));

/** Toasts announce results in a live region (errors assertively) and go away by themselves. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const [layer, setLayer] = useState(false);
  useEffect(() => whenIdle(() => setLayer(true)), []);
  const show = useCallback((message: ToastMessage) => {
    setLayer(true);
    setToasts((current) => addToast(current, message, Date.now() + Math.random()));
  }, []);
  const remove = useCallback((id: number) => setToasts((current) => current.filter((t) => t.id !== id)), []);
  // Ctrl/⌘+Z undoes what the newest toast with an Undo announced, while it is on screen.
  const undoable = toasts.findLast((t) => t.action?.undo);
  useEffect(() => {
    if (!undoable?.action) return;
    const { action, id } = undoable;
    const onKey = (event: KeyboardEvent) => {
      if (!isUndoKey(event) || event.defaultPrevented) return;
      event.preventDefault();
      remove(id);
      action.run();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [undoable, remove]);

  return (
    <ToastContext.Provider value={show}>
      {children}
      {layer ? (
        <Suspense fallback={null}>
          <ToastLayer toasts={toasts} onRemove={remove} />
        </Suspense>
      ) : null}
    </ToastContext.Provider>
  );
}

export function useToast(): (message: ToastMessage) => void {
  const show = useContext(ToastContext);
  return useMemo(() => show ?? (() => undefined), [show]);
}
