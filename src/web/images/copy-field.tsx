import { useId, useState } from 'react';
import { Button } from '../components/ui/button';
import { useToast } from '../components/ui/toast';

/** A read-only value (one line, or several) with a Copy button; the text is selectable by hand too. */
export function CopyField({
  label,
  value,
  multiline = false,
}: {
  label: string;
  value: string;
  multiline?: boolean;
}) {
  const id = useId();
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast({ title: `Could not copy the ${label.toLowerCase()}`, variant: 'error' });
    }
  };
  return (
    <div className="copy-field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="copy-field__row">
        {multiline ? (
          <textarea id={id} readOnly value={value} rows={5} onFocus={(e) => e.target.select()} />
        ) : (
          <input id={id} readOnly value={value} onFocus={(e) => e.target.select()} />
        )}
        <Button onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
    </div>
  );
}
