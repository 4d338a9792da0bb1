/** Limits of the Site Media API. Both the server (validation) and the web app (form checks) use them. */
export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 50;

export const FOLDER_NAME_MAX = 1000;
export const FILE_NAME_MAX = 255;
export const SEARCH_TEXT_MAX = 200;

/** `labels` on a file descriptor. */
export const FILE_LABELS_MAX = 100;
/** `labels` given at upload or import time. */
export const UPLOAD_LABELS_MAX = 50;
export const LABEL_MAX = 200;

export const GET_FILES_MAX = 100;
export const BULK_FILE_IDS_MAX = 1000;
export const BULK_FOLDER_IDS_MAX = 100;
export const ZIP_FILE_IDS_MAX = 1000;

export const DOWNLOAD_EXPIRATION_MINUTES_MIN = 1;
export const DOWNLOAD_EXPIRATION_MINUTES_MAX = 525600;
export const DOWNLOAD_EXPIRATION_MINUTES_DEFAULT = 600;
/** `generate-video-stream-url`: `expirationInMinutes` (60..1440, default 1440). */
export const VIDEO_STREAM_EXPIRATION_MINUTES_MIN = 60;
export const VIDEO_STREAM_EXPIRATION_MINUTES_MAX = 1440;
export const VIDEO_STREAM_EXPIRATION_MINUTES_DEFAULT = 1440;

/** Upper bound for ids and cursors accepted on the wire; anything longer is garbage. */
export const ID_MAX = 200;
export const CURSOR_MAX = 2000;
/** `filePath` in generate-upload-url: at most this many segments. */
export const FILE_PATH_SEGMENTS_MAX = 20;

/**
 * An image's alt text (`media.image.image.altText`), written through this server's extension endpoint (Wix's
 * update-file-descriptor does not take it). Screen readers read it whole: a sentence or two, not an essay.
 */
export const ALT_TEXT_MAX = 1000;
