import {
  BasePlugin,
  EventManager,
  type Body,
  type Meta,
  type PluginOpts,
  type Uppy,
  type UppyFile,
} from '@uppy/core';

export interface PlainPutOptions<M extends Meta, B extends Body> extends PluginOpts {
  /** The files this uploader sends; it leaves the others to the next uploader (tus). */
  accepts: (file: UppyFile<M, B>) => boolean;
  /** Where the file's bytes go (PUT). */
  url: (file: UppyFile<M, B>) => string;
  /** Uploads at once. */
  limit: number;
  /** The error for a refused upload (status >= 400), from the server's answer. */
  errorOf: (status: number, responseText: string) => Error;
}

/**
 * Small files by one plain PUT, as an Uppy uploader plugin through Uppy's public plugin API (`BasePlugin`,
 * `addUploader`, the upload events). Uppy runs every uploader on every file of an upload and offers no per-file
 * choice of uploader (transloadit/uppy#4604, declined), so the app used to wrap `uppy.addUploader` while
 * installing XHRUpload and tus. Instead this uploader sends the files it `accepts` and leaves the rest; installed
 * before `@uppy/tus`, it has finished (or failed) its files by the time tus runs, and tus, like every Uppy
 * uploader, leaves files that are complete or failed alone (`filterFilesToUpload` of `@uppy/core`;
 * `uploader.test.ts` checks that). The response body (the contract's `{ file }`) becomes the file's `response`.
 */
export class PlainPutUploader<M extends Meta, B extends Body> extends BasePlugin<
  PlainPutOptions<M, B>,
  M,
  B
> {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(uppy: Uppy<M, B>, opts: PlainPutOptions<M, B>) {
    super(uppy, opts);
    this.id = 'PlainPut';
    this.type = 'uploader';
  }

  override install(): void {
    this.uppy.addUploader(this.upload);
  }

  override uninstall(): void {
    this.uppy.removeUploader(this.upload);
  }

  private readonly upload = async (fileIDs: string[]): Promise<void> => {
    const files = this.uppy
      .getFilesByIds(fileIDs)
      .filter((file) => this.opts.accepts(file) && !file.error && !file.progress.uploadComplete);
    if (files.length === 0) return;
    this.uppy.emit('upload-start', files);
    await Promise.allSettled(files.map((file) => this.queued(() => this.put(file))));
  };

  /** Runs `task` once fewer than `limit` uploads are under way. */
  private async queued(task: () => Promise<void>): Promise<void> {
    if (this.active >= this.opts.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private put(start: UppyFile<M, B>): Promise<void> {
    const file = this.uppy.getFile(start.id);
    if (!file) return Promise.resolve();
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      const events = new EventManager(this.uppy);
      const done = () => {
        events.remove();
        resolve();
      };
      // A file removed, or everything cancelled: abort quietly (the file is gone from the tray).
      events.onFileRemove(file.id, () => xhr.abort());
      events.onCancelAll(file.id, () => xhr.abort());
      xhr.upload.addEventListener('progress', (event) => {
        const current = this.uppy.getFile(file.id);
        if (!current || !event.lengthComputable) return;
        this.uppy.emit('upload-progress', current, {
          uploadStarted: current.progress.uploadStarted ?? Date.now(),
          bytesUploaded: (event.loaded / event.total) * (current.size ?? event.total),
          bytesTotal: current.size,
        });
      });
      xhr.addEventListener('load', () => {
        const current = this.uppy.getFile(file.id);
        if (xhr.status >= 400 || xhr.status < 200) {
          this.uppy.emit('upload-error', current, this.opts.errorOf(xhr.status, xhr.responseText), {
            status: xhr.status,
            body: undefined,
          });
        } else {
          let body: B | undefined;
          try {
            body = JSON.parse(xhr.responseText) as B;
          } catch {
            body = undefined;
          }
          this.uppy.emit('upload-success', current, { status: xhr.status, body, uploadURL: undefined });
        }
        done();
      });
      xhr.addEventListener('error', () => {
        this.uppy.emit(
          'upload-error',
          this.uppy.getFile(file.id),
          new Error('The connection was lost. Retry to continue.'),
        );
        done();
      });
      xhr.addEventListener('abort', done);
      xhr.open('PUT', this.opts.url(file));
      xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
      xhr.send(file.data as Blob);
    });
  }
}
