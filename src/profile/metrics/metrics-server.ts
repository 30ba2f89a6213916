/**
 * startMetricsServer(node, opts): a Prometheus scrape endpoint (node:http) for one node.
 *
 *   const m = await startMetricsServer(node, { port: 9464 });
 *   // curl http://127.0.0.1:9464/metrics
 *   await m.close();            // or node.stop(): the server stops with the node
 *
 * Protocol of a request:
 *   1. With a `token`, the `Authorization` header must be exactly `Bearer <token>`
 *      (compared in constant time): else 401 with `WWW-Authenticate: Bearer`.
 *   2. Only `path` is served (404 elsewhere), only GET and HEAD (405 otherwise).
 *   3. The registry (metrics-registry.ts) collects from the node at that moment and the
 *      answer is prom-client's text format (`Content-Type: text/plain; version=0.0.4`);
 *      a collection that fails answers 500 with the error's message.
 *
 * Binding: 127.0.0.1 by default; a non-loopback host is refused (InvalidOptionError)
 * unless a token is given (metrics-options.ts). Plain HTTP: put TLS in front when the
 * token crosses a network.
 *
 * Erlang mapping: none in OTP itself; prometheus.erl's cowboy/elli exporters do this for a BEAM node.
 *
 * Stop: `close()` stops listening and ends open connections (idempotent); it is also
 * registered with `node.onStop`, so the endpoint never outlives its node.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { Node } from '../../core/node.ts';
import { buildRegistry, kDefaultPrefix } from './metrics-registry.ts';
import { checkNode, checkServerOptions, type MetricsServerOptions } from './metrics-options.ts';

export interface MetricsServer {
  /** `http://host:port/path` of the endpoint. */
  readonly url: string;
  readonly port: number;
  readonly registry: Registry;
  close(): Promise<void>;
}

function authorised(req: IncomingMessage, expected: Buffer | null): boolean {
  if (expected === null) return true;
  const got = Buffer.from(req.headers.authorization ?? '', 'utf8');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export async function startMetricsServer(node: Node, opts?: MetricsServerOptions): Promise<MetricsServer> {
  checkNode('startMetricsServer', node);
  checkServerOptions(opts);
  const host = opts?.host ?? '127.0.0.1';
  const path = opts?.path ?? '/metrics';
  const expected = opts?.token === undefined ? null : Buffer.from(`Bearer ${opts.token}`, 'utf8');
  const registry = buildRegistry(node, opts?.prefix ?? kDefaultPrefix, opts?.intervalMs ?? 0);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!authorised(req, expected)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer', 'Content-Type': 'text/plain' }).end('unauthorized\n');
      return;
    }
    const reqPath = (req.url ?? '/').split('?', 1)[0];
    if (reqPath !== path) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${e instanceof Error ? e.message : String(e)}\n`);
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts?.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  node.onStop(close);
  return { url: `http://${urlHost}:${port}${path}`, port, registry, close };
}
