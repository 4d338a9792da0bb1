import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  bulkOperation,
  refreshAfterBulk,
  startBulkOperation,
  type BulkAction,
  type BulkOperation,
} from './api/bulk-operations';
import type { ListingParams } from './api/items';

/** How often a running operation's progress is read. */
const POLL_MS = 700;

/**
 * Runs one bulk operation at a time for the browser: starts it (one request), reads its progress until it
 * ends, then refreshes every listing and calls `onEnd` with how it ended. Leaving the page stops the polling
 * only: the operation goes on on the server.
 */
export function useBulkOperation(onEnd: (operation: BulkOperation) => void) {
  const client = useQueryClient();
  const [operation, setOperation] = useState<BulkOperation | null>(null);
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;

  useEffect(() => {
    if (!operation || operation.status !== 'RUNNING') return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      bulkOperation(operation.id, controller.signal).then(
        async (next) => {
          if (next.status !== 'RUNNING') {
            await refreshAfterBulk(client);
            onEndRef.current(next);
          }
          setOperation(next);
        },
        () => {
          // A failed read (a restart, the network): try again at the next tick.
          if (!controller.signal.aborted) setOperation((current) => (current ? { ...current } : current));
        },
      );
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [operation, client]);

  const start = useCallback(
    async (params: ListingParams, action: BulkAction, destinationFolderId?: string) => {
      const started = await startBulkOperation(params, action, destinationFolderId);
      setOperation(started);
      return started;
    },
    [],
  );

  return { operation, running: operation?.status === 'RUNNING', start };
}
