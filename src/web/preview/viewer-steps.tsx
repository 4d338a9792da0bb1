import type { KeyboardEvent } from 'react';

/**
 * ← and → of a full-screen viewer (the file viewer, the review of visitor uploads): step to the previous or
 * next file when there is one. Media controls keep their own arrow keys (seeking, volume).
 */
export function useStepKeys(onPrevious: (() => void) | undefined, onNext: (() => void) | undefined) {
  return (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (target.tagName === 'VIDEO' || target.tagName === 'AUDIO') return;
    const step = event.key === 'ArrowLeft' ? onPrevious : event.key === 'ArrowRight' ? onNext : undefined;
    if (!step) return;
    event.preventDefault();
    step();
  };
}

/** The ‹ and › buttons beside a viewer's stage: the same steps as ← and →, disabled at either end. */
export function ViewerStep({
  direction,
  label,
  onStep,
}: {
  direction: 'previous' | 'next';
  label: string;
  onStep: (() => void) | undefined;
}) {
  return (
    <button
      type="button"
      className={`viewer__step viewer__step--${direction}`}
      aria-label={label}
      disabled={!onStep}
      onClick={() => onStep?.()}
    >
      {direction === 'previous' ? '‹' : '›'}
    </button>
  );
}
