// What other features use of uploads: queueing files (the uploader itself loads on first use).
export { useUpload } from './uploader-context';
