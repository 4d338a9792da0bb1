import type { FileDescriptor } from '../../contract';

/** What a failed processing means for the owner, by what the file is: what still works, in their words. */
export function failedProcessingMessage(file: Pick<FileDescriptor, 'mediaType' | 'mimeType'>): string {
  if (file.mimeType === 'application/pdf') {
    return "We couldn't make a preview of this PDF. You can still open and download it.";
  }
  switch (file.mediaType) {
    case 'IMAGE':
    case 'VECTOR':
      return "We couldn't make a preview of this image. You can still open and download the original.";
    case 'VIDEO':
      return "We couldn't prepare this video for streaming. You can still play the original here if your browser can, and download it.";
    case 'AUDIO':
      return "We couldn't prepare this audio file. You can still play the original here if your browser can, and download it.";
    default:
      return "We couldn't make a preview of this file. You can still download it.";
  }
}

/**
 * A FAILED file's notice: the owner's sentence, with the server's reason (written for whoever runs the server)
 * one click away.
 */
export function FailedNotice({ file }: { file: FileDescriptor }) {
  if (file.operationStatus !== 'FAILED') return null;
  return (
    <div className="failed-notice">
      <p>{failedProcessingMessage(file)}</p>
      {file.failureReason ? (
        <details className="failed-notice__details">
          <summary>Technical details</summary>
          <p className="muted small">{file.failureReason}</p>
        </details>
      ) : null}
    </div>
  );
}
