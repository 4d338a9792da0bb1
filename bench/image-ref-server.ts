/**
 * The reference servers of `bench/image-transforms.ts`, each in its own process like the app:
 *   tsx bench/image-ref-server.ts ipx <dir> <port>      Nuxt Image's optimizer (ipx) over a directory
 *   tsx bench/image-ref-server.ts static <dir> <port>   @fastify/static over a directory
 */
import { createServer } from 'node:http';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { createIPX, createIPXNodeServer, ipxFSStorage } from 'ipx';

const [mode, dir, port] = process.argv.slice(2);
if (!dir || !port) throw new Error('usage: image-ref-server.ts ipx|static <dir> <port>');

if (mode === 'ipx') {
  const ipx = createIPX({ storage: ipxFSStorage({ dir }) });
  createServer(createIPXNodeServer(ipx)).listen(Number(port), '127.0.0.1');
} else if (mode === 'static') {
  const app = Fastify({ logger: false });
  await app.register(fastifyStatic, { root: dir });
  await app.listen({ port: Number(port), host: '127.0.0.1' });
} else {
  throw new Error(`unknown mode ${mode}`);
}
