import { useEffect, useState, useSyncExternalStore } from 'react';
import type { OnDuplicate } from '../../contract';
import { Button } from '../components/ui/button';
import { Dialog } from '../components/ui/dialog';
import { formatBytes, formatDate } from '../lib/format';
import { FileLocation } from '../duplicates/file-location';
import {
  answerDuplicateQuestion,
  currentDuplicateQuestion,
  subscribeDuplicateQuestions,
} from './duplicate-question';
import '../duplicates/duplicates.css';

const CHOICES: { choice: OnDuplicate; label: string; hint: string }[] = [
  { choice: 'KEEP_BOTH', label: 'Keep both', hint: 'Upload it as a new file.' },
  {
    choice: 'USE_EXISTING',
    label: 'Use existing',
    hint: 'Skip the upload; the file already there stays as it is.',
  },
  {
    choice: 'REPLACE',
    label: 'Replace',
    hint: 'Skip the upload; the file already there moves here under this name (its links keep working).',
  },
];

/**
 * "Already in your library": shown during an upload batch for a file whose bytes a live file already has. Keep
 * both / Use existing / Replace, and "apply to the rest of this batch". Esc or closing is "Keep both" (what an
 * upload did before this question existed). Every choice is a button: Tab and Enter, or Space, choose.
 */
export function DuplicateDialogHost() {
  const question = useSyncExternalStore(subscribeDuplicateQuestions, currentDuplicateQuestion);
  const [applyToRest, setApplyToRest] = useState(false);
  useEffect(() => setApplyToRest(false), [question]);
  if (!question) return null;
  const [first] = question.existing;
  const answer = (choice: OnDuplicate) => answerDuplicateQuestion({ choice, applyToRest });

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) answer('KEEP_BOTH');
      }}
      title="Already in your library"
      description={
        <>
          <strong>{question.fileName}</strong> has the same content as{' '}
          {question.existing.length === 1
            ? 'a file you already have'
            : `${question.existing.length} files you already have`}
          .
        </>
      }
    >
      {first ? (
        <div className="duplicate-existing" data-testid="duplicate-existing">
          <img src={first.thumbnailUrl} alt="" width={48} height={48} />
          <div>
            <div className="duplicate-existing__name">{first.displayName}</div>
            <div className="muted small">
              {formatBytes(first.sizeInBytes)} · added {formatDate(first.createdDate)} · in{' '}
              <FileLocation parentFolderId={first.parentFolderId} />
            </div>
          </div>
        </div>
      ) : null}
      <div className="duplicate-choices" role="group" aria-label="What to do">
        {CHOICES.map(({ choice, label, hint }, index) => (
          <div key={choice} className="duplicate-choice">
            <Button
              variant={index === 0 ? 'primary' : 'secondary'}
              onClick={() => answer(choice)}
              aria-describedby={`duplicate-hint-${choice}`}
              autoFocus={index === 0}
            >
              {label}
            </Button>
            <span id={`duplicate-hint-${choice}`} className="muted small">
              {hint}
            </span>
          </div>
        ))}
      </div>
      {question.remaining > 0 ? (
        <label className="duplicate-apply">
          <input
            type="checkbox"
            checked={applyToRest}
            onChange={(event) => setApplyToRest(event.target.checked)}
          />
          Apply to the rest of this batch ({question.remaining} more file{question.remaining > 1 ? 's' : ''})
        </label>
      ) : null}
    </Dialog>
  );
}
