import type { FileDescriptor, OnDuplicate } from '../../contract';
import { apiClient } from '../lib/api-client';

/**
 * Asking, during an upload batch, what to do with a file whose bytes are already in the library. The uploader
 * (plain module code) asks; the dialog (React, `DuplicateDialogHost`) answers. A question waits here until the
 * dialog is mounted to show it, so neither has to be first.
 */

/** Files hashed in the browser (whole, in memory: crypto.subtle has no streaming digest) up to this size. Larger
 * ones go up with the batch's remembered choice, or as new files; the Duplicates view finds them afterwards. */
export const HASH_IN_BROWSER_MAX_BYTES = 200 * 1024 * 1024;

export interface DuplicateQuestion {
  fileName: string;
  /** Live files with the same bytes, oldest first. */
  existing: FileDescriptor[];
  /** Files of the batch still to come after this one (the "apply to the rest" box shows only then). */
  remaining: number;
}

export interface DuplicateAnswer {
  choice: OnDuplicate;
  applyToRest: boolean;
}

interface Pending extends DuplicateQuestion {
  answer: (answer: DuplicateAnswer) => void;
}

const queue: Pending[] = [];
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());

/** The question being shown (the first one waiting), if any. */
export function currentDuplicateQuestion(): Pending | undefined {
  return queue[0];
}

export function subscribeDuplicateQuestions(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Answers the question being shown. */
export function answerDuplicateQuestion(answer: DuplicateAnswer): void {
  const pending = queue.shift();
  notify();
  pending?.answer(answer);
}

function ask(question: DuplicateQuestion): Promise<DuplicateAnswer> {
  return new Promise((resolve) => {
    queue.push({ ...question, answer: resolve });
    notify();
  });
}

async function sha256Hex(blob: Blob): Promise<string | undefined> {
  // crypto.subtle exists only in secure contexts (https, localhost).
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Live files with the bytes of `blob`: none when it is too big to hash here, or hashing is not possible. */
async function existingCopies(blob: Blob): Promise<FileDescriptor[]> {
  if (blob.size === 0 || blob.size > HASH_IN_BROWSER_MAX_BYTES) return [];
  try {
    const hash = await sha256Hex(blob);
    if (!hash) return [];
    return (
      await apiClient.post<{ files: FileDescriptor[] }>('/site-media-ext/v1/files/find-by-hash', { hash })
    ).files;
  } catch {
    // Not knowing is not a reason to stop the upload: it goes up as a new file.
    return [];
  }
}

/**
 * What each file of a batch does if its bytes are already in the library: asked file by file (one dialog at a
 * time), until the owner ticks "apply to the rest of this batch"; from then on the server applies that choice
 * to every remaining file at finalize (`onDuplicate`), also to files too big to check here. Files without a
 * copy get no entry.
 */
export async function chooseForDuplicates(
  files: readonly { id: string; name: string; data: Blob }[],
): Promise<Map<string, OnDuplicate>> {
  const choices = new Map<string, OnDuplicate>();
  let remembered: OnDuplicate | undefined;
  for (const [index, file] of files.entries()) {
    if (remembered) {
      choices.set(file.id, remembered);
      continue;
    }
    const existing = await existingCopies(file.data);
    if (existing.length === 0) continue;
    const answer = await ask({ fileName: file.name, existing, remaining: files.length - index - 1 });
    choices.set(file.id, answer.choice);
    if (answer.applyToRest) remembered = answer.choice;
  }
  return choices;
}
