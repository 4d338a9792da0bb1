import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { apiAuthHook, registerAuthRoutes } from '../http/auth-routes.ts';
import { registerBulkRoutes } from '../http/bulk-routes.ts';
import { registerContentsRoutes } from '../http/contents-routes.ts';
import { registerDuplicateRoutes } from '../http/duplicate-routes.ts';
import { sendError, sendNoRoute } from '../http/error-handler.ts';
import { registerFileExtrasRoutes } from '../http/file-extras-routes.ts';
import { registerFileRoutes } from '../http/file-routes.ts';
import { registerFolderRoutes } from '../http/folder-routes.ts';
import { registerImportRoutes } from '../http/import-routes.ts';
import { registerMediaRoutes } from '../http/media-routes.ts';
import { registerModerationRoutes } from '../http/moderation-routes.ts';
import { appCsp, registerPickerRoutes } from '../http/picker-routes.ts';
import { registerReplaceRoutes } from '../http/replace-routes.ts';
import { registerShareApiRoutes, registerShareLinkRoutes } from '../http/share-routes.ts';
import { registerStorageRoutes } from '../http/storage-routes.ts';
import { registerFocalPointRoutes, registerTransformRoutes } from '../http/transform-routes.ts';
import { registerTrashRetentionRoutes } from '../http/trash-retention-routes.ts';
import { registerUploadApiRoutes, registerUploadTargetRoutes } from '../http/upload-routes.ts';
import { registerVisitorRoutes } from '../http/visitor-routes.ts';
import {
  registerZipApiRoutes,
  registerZipDownloadRoutes,
  registerZipExtensionRoutes,
} from '../http/zip-routes.ts';
import type { Services } from './services.ts';

export const API_PREFIX = '/site-media/v1';
/** Authenticated endpoints Wix's contract lacks (documented in `docs/api.md`). */
export const EXT_API_PREFIX = '/site-media-ext/v1';

/** The web app's own pages: scripts and styles from this origin only, never framed (but `/picker`). */
const APP_CSP = appCsp("'none'");

/** Headers of every answer, the cookie parser, and errors in the contract's shape. */
export async function registerBasics(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('X-Wix-Request-Id', request.id);
    void reply.header('X-Content-Type-Options', 'nosniff');
  });
  await app.register(fastifyCookie);
  app.setErrorHandler((error, _request, reply) => sendError(reply, error));
}

/** What answers without the API key: health, sign-in, upload targets, visitors, media, zips and share links. */
export function registerPublicRoutes(app: FastifyInstance, config: Config, s: Services): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  registerAuthRoutes(app, s.auth, {
    secureCookies: config.publicUrl.startsWith('https://'),
    framedByOtherSites: config.pickerAllowedOrigins.length > 0,
  });
  registerUploadTargetRoutes(app, s.uploads, s.resumable, config.maxFileSizeBytes);
  registerVisitorRoutes(app, s.uploads, {
    enabled: config.visitorUploads,
    key: config.visitorUploadKey,
    uploadsPerMinute: config.visitorUploadsPerMinute,
    policy: s.uploads.options.visitorPolicy,
  });
  registerMediaRoutes(app, s.files, s.downloads, s.media);
  registerTransformRoutes(app, s.images);
  registerZipDownloadRoutes(app, s.zips);
  registerShareLinkRoutes(app, s.shares, s.media);
}

/** Wix's Site Media contract, under `API_PREFIX`, with the API key or a session. */
export async function registerApiRoutes(app: FastifyInstance, s: Services): Promise<void> {
  await app.register(
    (api, _options, done) => {
      api.addHook('onRequest', apiAuthHook(s.auth));
      registerFolderRoutes(api, s.folders, s.trash);
      registerFileRoutes(api, s.files, s.trash, s.downloads);
      registerUploadApiRoutes(api, s.uploads);
      registerImportRoutes(api, s.imports);
      registerZipApiRoutes(api, s.zips);
      done();
    },
    { prefix: API_PREFIX },
  );
}

/** What Wix lacks, under `EXT_API_PREFIX`, with the API key or a session. */
export async function registerExtensionRoutes(app: FastifyInstance, s: Services): Promise<void> {
  await app.register(
    (ext, _options, done) => {
      ext.addHook('onRequest', apiAuthHook(s.auth));
      registerFocalPointRoutes(ext, s.images);
      registerZipExtensionRoutes(ext, s.zips);
      registerContentsRoutes(ext, s.contents);
      registerBulkRoutes(ext, s.bulk);
      registerShareApiRoutes(ext, s.shares);
      registerTrashRetentionRoutes(ext, s.retention);
      registerFileExtrasRoutes(ext, s.extras);
      registerReplaceRoutes(ext, s.replace);
      registerDuplicateRoutes(ext, s.duplicates, s.uploads);
      registerModerationRoutes(ext, s.moderation);
      registerStorageRoutes(ext, s.storage);
      done();
    },
    { prefix: EXT_API_PREFIX },
  );
}

/**
 * The web app, when built: its files, the picker page, and `index.html` for every other page path (the app
 * routes them itself); anything else answers the contract's no-route error.
 */
export async function registerWebApp(app: FastifyInstance, config: Config): Promise<void> {
  const staticDir = config.staticDir;
  const hasWebApp = staticDir !== undefined && fs.existsSync(path.join(staticDir, 'index.html'));
  if (hasWebApp) {
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: false,
      index: false,
      setHeaders: (res) => {
        res.setHeader('Content-Security-Policy', APP_CSP);
        res.setHeader('X-Frame-Options', 'DENY');
      },
    });
  }
  registerPickerRoutes(app, {
    allowedOrigins: config.pickerAllowedOrigins,
    staticDir: hasWebApp ? staticDir : undefined,
  });
  // The web app owns every other GET path without an extension (react-router): answer with index.html.
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const isPage =
      hasWebApp &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !url.startsWith(`${API_PREFIX}/`) &&
      !url.startsWith(`${EXT_API_PREFIX}/`) &&
      !/^\/(upload|download|media|stream|auth|visitor)\//.test(url) &&
      path.extname(url) === '';
    if (!isPage) return sendNoRoute(request, reply);
    void reply.header('Cache-Control', 'no-cache');
    void reply.header('Content-Security-Policy', APP_CSP);
    void reply.header('X-Frame-Options', 'DENY');
    return reply.sendFile('index.html');
  });
}
