import type { ReactNode } from 'react';
import { Button } from './button';

/** A polite live region while something loads. */
export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="status" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export interface ErrorStateProps {
  title: string;
  message?: string;
  onRetry?: () => void;
  retrying?: boolean;
  children?: ReactNode;
}

/** An error with an optional "Try again" action. */
export function ErrorState({ title, message, onRetry, retrying = false, children }: ErrorStateProps) {
  return (
    <div className="status status--error" role="alert">
      <p className="status__title">{title}</p>
      {message ? <p className="status__message">{message}</p> : null}
      <div className="status__actions">
        {onRetry ? (
          <Button onClick={onRetry} disabled={retrying}>
            {retrying ? 'Retrying…' : 'Try again'}
          </Button>
        ) : null}
        {children}
      </div>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="status status--empty">
      <p className="status__title">{title}</p>
      {children}
    </div>
  );
}
