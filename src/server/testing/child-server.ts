/**
 * A whole server in a process of its own, for tests that kill it (`kill -9`) and start another over the same
 * data: run with `node --import tsx`, configured by the environment like `main.ts`, on the port the OS picks.
 * Prints `LISTENING <port>` once it takes requests.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';

const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' });
const { app } = await buildApp(config, { level: 'warn' });
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`LISTENING ${(app.server.address() as AddressInfo).port}\n`);
