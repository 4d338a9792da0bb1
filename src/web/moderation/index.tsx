// The review of visitor uploads: what the app shell and the Visitor Uploads page embed.
export { NewBadge, NewFilesProvider, NewUploadsBadge } from './api';
export { ReviewBar } from './review-bar';
