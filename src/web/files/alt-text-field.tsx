import { useId, useState, type KeyboardEvent } from 'react';
import { ALT_TEXT_MAX, hasForbiddenCharacter, type FileDescriptor } from '../../contract';
import { Button } from '../components/ui/button';
import { useToast } from '../components/ui/toast';
import { useSetAltText } from './api/file-extras';

/**
 * An image's alt text in the info panel: shown, and editable with the keyboard (Edit, type, Enter or Save;
 * Shift+Enter for a new line, Esc cancels). Saved at once in the panel and put back if the server refuses.
 */
export function AltTextField({ file, readOnly }: { file: FileDescriptor; readOnly: boolean }) {
  const altText = file.media.image?.image.altText ?? null;
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = useSetAltText(file.id);
  const toast = useToast();
  const labelId = useId();
  const hintId = useId();

  const submit = () => {
    if (draft === null) return;
    const text = draft.trim();
    if (text.length > ALT_TEXT_MAX) return setError(`Alt text has at most ${ALT_TEXT_MAX} characters.`);
    if (hasForbiddenCharacter(text)) return setError('Remove the control characters.');
    setError(null);
    setDraft(null);
    save.mutate(text || null, {
      onError: (failure) =>
        toast({
          title: 'Could not save the alt text',
          description: failure instanceof Error ? failure.message : undefined,
          variant: 'error',
        }),
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape') {
      // Cancels the edit only; the panel stays open.
      event.stopPropagation();
      setDraft(null);
      setError(null);
    }
  };

  return (
    <div className="field alt-text">
      <span className="field__label" id={labelId}>
        Alt text
      </span>
      {draft === null ? (
        <>
          <p className="alt-text__value" aria-labelledby={labelId} data-testid="alt-text-value">
            {altText ?? (
              <span className="muted small">None: describe the image for people who cannot see it.</span>
            )}
          </p>
          {readOnly ? null : (
            <div className="alt-text__actions">
              <Button
                onClick={() => setDraft(altText ?? '')}
                aria-label={altText ? 'Edit alt text' : 'Add alt text'}
              >
                {altText ? 'Edit' : 'Add alt text'}
              </Button>
            </div>
          )}
        </>
      ) : (
        <>
          <textarea
            aria-labelledby={labelId}
            aria-describedby={hintId}
            aria-invalid={error ? true : undefined}
            value={draft}
            maxLength={ALT_TEXT_MAX + 100}
            // Opened by the owner's own click or key: the field is where they are going.
            autoFocus
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
          />
          <p id={hintId} className="muted small">
            Enter saves, Shift+Enter adds a line, Esc cancels. {draft.trim().length}/{ALT_TEXT_MAX}
          </p>
          <div className="alt-text__actions">
            <Button variant="primary" onClick={submit}>
              Save
            </Button>
            <Button
              onClick={() => {
                setDraft(null);
                setError(null);
              }}
            >
              Cancel
            </Button>
          </div>
        </>
      )}
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
