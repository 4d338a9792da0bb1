import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';
import { cutOffSlowBodies } from '../http/slow-bodies.ts';

/**
 * `TRUST_PROXY` as Fastify takes it. Fastify no longer counts hops itself (a number trusts nothing, since the
 * first hop is whoever connected): `n` proxies is a function believing the last `n` hops of `X-Forwarded-For`,
 * which is right only while the server is reachable through those proxies alone (see docs/deploy.md).
 */
function fastifyTrustProxy(trust: Config['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (typeof trust === 'number') return (_address: string, hop: number) => hop < trust;
  return trust;
}

/** The Fastify instance, with the server's limits and timeouts, and slow bodies cut off by rate. */
export function newFastify(config: Config, logger: FastifyServerOptions['logger']): FastifyInstance {
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    // Ids are checked by the routes (and answered in the contract's shape); let long ones reach them.
    routerOptions: { maxParamLength: 4096 },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    forceCloseConnections: true,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // No total request timeout (a long upload on a slow line must finish): slow bodies are cut off by rate
    // instead (cutOffSlowBodies). Headers, though, must arrive in time. Node looks for late headers every
    // `connectionsCheckingInterval`, so that is a fraction of the timeout.
    requestTimeout: 0,
    http: {
      requestTimeout: 0,
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(config.headersTimeoutMs / 4))),
    },
  });
  cutOffSlowBodies(app, { windowMs: config.bodyRateWindowMs, minBytes: config.bodyMinBytesPerWindow });
  return app;
}
