// Privacy and sharing: what other features embed.
export { BulkPrivacyMenu } from './bulk-privacy-menu';
export { setPrivateUploads, UploadOptionsMenu, usePrivateUploads } from './private-uploads';
export { SharingSection } from './sharing-section';
