import { describe, expect, it } from 'vitest';
import { canUndo, type BulkOperation } from './api/bulk-operations';
import { bulkResultMessage } from './bulk-progress';

function operation(patch: Partial<BulkOperation>): BulkOperation {
  return {
    id: 'op',
    action: 'RESTORE',
    status: 'DONE',
    processed: { folders: 0, files: 3000 },
    total: { folders: 0, files: 3000, estimated: false },
    error: null,
    ...patch,
  };
}

describe('the toast when a bulk operation ended', () => {
  it('says what was done, with the count', () => {
    expect(bulkResultMessage(operation({}))).toEqual({ title: 'Restored 3,000 items' });
    expect(
      bulkResultMessage(operation({ action: 'MOVE', processed: { folders: 1, files: 0 } })),
    ).toMatchObject({
      title: 'Moved 1 item',
    });
  });

  it('says when some selected items were left as they are', () => {
    const message = bulkResultMessage(operation({ processed: { folders: 0, files: 2990 } }));
    expect(message.title).toBe('Restored 2,990 items');
    expect(message.description).toMatch(/^10 of the selected items were left as they are/);
  });

  it('a failure is an error with the reason, and says how far it got', () => {
    const message = bulkResultMessage(
      operation({
        status: 'FAILED',
        processed: { folders: 0, files: 40 },
        error: 'The destination was trashed',
      }),
    );
    expect(message).toEqual({
      title: 'Stopped after 40 items',
      description: 'The destination was trashed',
      variant: 'error',
    });
  });

  it('an undo says how many items could not be undone, and only ended moves, trashes and restores undo', () => {
    const message = bulkResultMessage(operation({ action: 'UNDO', processed: { folders: 0, files: 2998 } }));
    expect(message.title).toBe('Undid the change of 2,998 items');
    expect(message.description).toBe('2 items could not be undone: they changed since.');
    expect(canUndo(operation({ action: 'TRASH' }))).toBe(true);
    expect(canUndo(operation({ action: 'MOVE', status: 'RUNNING' }))).toBe(false);
    expect(canUndo(operation({ action: 'DELETE_FOREVER' }))).toBe(false);
    expect(canUndo(operation({ action: 'UNDO' }))).toBe(false);
  });
});
