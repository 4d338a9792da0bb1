export * from './enums.ts';
export * from './errors.ts';
export * from './limits.ts';
export * from './media-uri.ts';
export * from './names.ts';
export * from './types.ts';
export * from './duplicates.ts';
export * from './storage.ts';
