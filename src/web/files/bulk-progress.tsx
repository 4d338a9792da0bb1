import { processedOf, totalOfOperation, type BulkOperation } from './api/bulk-operations';

const number = new Intl.NumberFormat('en-US');

const VERBS: Record<BulkOperation['action'], string> = {
  RESTORE: 'Restoring',
  DELETE_FOREVER: 'Deleting forever',
  TRASH: 'Moving to the trash',
  MOVE: 'Moving',
  UNDO: 'Undoing',
};

/** A running bulk operation: how far it got, as a bar and in words ("Restoring 1,200 of 3,000 items…"). */
export function BulkProgress({ operation }: { operation: BulkOperation }) {
  const done = processedOf(operation);
  const total = Math.max(totalOfOperation(operation), done);
  const percent = total === 0 ? 100 : Math.round((done / total) * 100);
  const text = `${VERBS[operation.action]} ${number.format(done)} of ${number.format(total)}${
    operation.total.estimated ? '+' : ''
  } items…`;
  return (
    <div className="bulk-progress" data-testid="bulk-progress">
      <span className="bulk-progress__text" aria-live="polite">
        {text}
      </span>
      <div
        className="progress bulk-progress__bar"
        role="progressbar"
        aria-label={VERBS[operation.action]}
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="progress__bar" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

/** The toast when a bulk operation ended. */
export function bulkResultMessage(operation: BulkOperation): {
  title: string;
  description?: string;
  variant?: 'error';
} {
  const done = processedOf(operation);
  const items = `${number.format(done)} item${done === 1 ? '' : 's'}`;
  if (operation.status === 'FAILED') {
    return {
      title: `Stopped after ${items}`,
      description: operation.error ?? 'The server could not finish.',
      variant: 'error',
    };
  }
  const titles: Record<BulkOperation['action'], string> = {
    RESTORE: `Restored ${items}`,
    DELETE_FOREVER: `Deleted ${items} forever`,
    TRASH: `Moved ${items} to the trash`,
    MOVE: `Moved ${items}`,
    UNDO: `Undid the change of ${items}`,
  };
  const skipped = totalOfOperation(operation) - done;
  return {
    title: titles[operation.action],
    ...(skipped > 0 && !operation.total.estimated
      ? {
          description:
            operation.action === 'UNDO'
              ? `${number.format(skipped)} items could not be undone: they changed since.`
              : `${number.format(skipped)} of the selected items were left as they are (changed since, or the destination itself).`,
        }
      : {}),
  };
}
