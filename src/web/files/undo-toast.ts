import { useCallback } from 'react';
import { useToast } from '../components/ui/toast';
import type { ActionResult } from './api/undo';

/**
 * Shows what an action did; when it can be undone, with an "Undo" button (and Ctrl/⌘+Z while shown) whose
 * outcome is a toast of its own.
 */
export function useResultToast(): (result: ActionResult | string) => void {
  const toast = useToast();
  return useCallback(
    (result: ActionResult | string) => {
      if (typeof result === 'string') {
        toast({ title: result });
        return;
      }
      const { title, undo } = result;
      if (!undo) {
        toast({ title });
        return;
      }
      const run = () =>
        void undo().then(toast, (error: unknown) =>
          toast({
            title: 'Could not undo',
            description: error instanceof Error ? error.message : undefined,
            variant: 'error',
          }),
        );
      toast({ title, action: { label: 'Undo', undo: true, run } });
    },
    [toast],
  );
}
