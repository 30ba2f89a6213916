/**
 * The observer page's HTTP server (node:http): the page, its live updates by Server-Sent
 * Events, and three JSON queries.
 *
 *   GET /                      the page (page/observer-page.ts): one self-contained HTML
 *                              document, no external assets
 *   GET /events                SSE: `hello` { node, intervalMs, history: ObserverFrame[] },
 *                              then `frame` ObserverFrame per sample, `tree`
 *                              SupervisionReport every treeEveryTicks samples, `problem`
 *                              { message } when a sample or a walk failed
 *   GET /api/frame             the latest frame (503 before the first)
 *   GET /api/process?pid=<a.b.c>  processInfo (400 no or bad pid, 404 not alive)
 *   GET /api/tree              the supervision report, walked now
 *
 * A request, in order:
 *   1. Bound to loopback without a token: the Host header must name a loopback host (else
 *      403), so a web page elsewhere cannot reach it through DNS rebinding.
 *   2. With a token: `?token=<t>` or `Authorization: Bearer <t>` (constant-time compare),
 *      else 401.
 *   3. GET and HEAD only (405 with Allow), known paths only (404).
 *   4. /events beyond maxClients: 503. A client whose socket buffers more than 1 MiB of
 *      unsent events is dropped (a stalled tab cannot grow the node's memory).
 *   5. A query that fails answers 500 with the error's message; nothing a request does can
 *      throw out of the handler (the node never crashes because of the page).
 *
 * Sampling: one tick every intervalMs from start to close, whether or not a page is open
 * (a page opened later gets the history: at most `history` frames). A tick awaits its
 * sample before the next is scheduled, so slow samples stretch the interval instead of
 * piling up. The supervision walk runs only while a page is open.
 *
 * Erlang mapping: observer's wx window, served as a web page (like observer_cli's or
 * Elixir's LiveDashboard role); its refresh interval is intervalMs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { isLoopbackHost } from '../metrics/metrics-options.ts';
import type { ObserverFrame } from './observer-frame.ts';
import type { ObserverSource } from './observer-source.ts';
import type { ObserveSettings } from './observe-options.ts';
import { observerPage } from './page/observer-page.ts';
import type { SupervisionReport } from './supervision-tree.ts';
import { BadArgError } from '../../core/errors.ts';

export interface ObserverServer {
  /** The page's address (with `?token=` when there is one). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const kMaxBuffered = 1 << 20;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Host header `h`, `h:port`, `[v6]:port` -> the host part. */
function hostOf(header: string | undefined): string {
  if (header === undefined) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const i = header.lastIndexOf(':');
  return i < 0 ? header : header.slice(0, i);
}

export async function startObserverServer(source: ObserverSource, s: ObserveSettings): Promise<ObserverServer> {
  const expected = s.token === null ? null : Buffer.from(s.token, 'utf8');
  const clients = new Set<ServerResponse>();
  const history: ObserverFrame[] = [];
  let seq = 0;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let lastTree: SupervisionReport | null = null;
  const page = observerPage();

  const tokenOk = (req: IncomingMessage, url: URL): boolean => {
    if (expected === null) return true;
    const auth = req.headers.authorization;
    const given = auth !== undefined && auth.startsWith('Bearer ') ? auth.slice(7) : url.searchParams.get('token') ?? '';
    const got = Buffer.from(given, 'utf8');
    return got.length === expected.length && timingSafeEqual(got, expected);
  };

  const send = (res: ServerResponse, event: string, data: unknown): void => {
    if (res.writableLength > kMaxBuffered) {
      clients.delete(res);
      res.destroy();
      return;
    }
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const broadcast = (event: string, data: unknown): void => {
    for (const c of [...clients]) send(c, event, data);
  };

  const walkTree = async (): Promise<void> => {
    try {
      lastTree = await source.supervision();
      broadcast('tree', lastTree);
    } catch (e) {
      broadcast('problem', { message: `supervision tree: ${message(e)}` });
    }
  };

  const tick = async (): Promise<void> => {
    timer = null;
    const began = performance.now();
    try {
      const f = await source.frame(++seq, s.actorRows);
      history.push(f);
      if (history.length > s.history) history.shift();
      broadcast('frame', f);
    } catch (e) {
      broadcast('problem', { message: `sample: ${message(e)}` });
    }
    if (clients.size > 0 && seq % s.treeEveryTicks === 0) await walkTree();
    if (!closed) timer = setTimeout(() => void tick(), Math.max(0, s.intervalMs - (performance.now() - began)));
  };

  const json = (res: ServerResponse, status: number, body: unknown, head: boolean): void => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(head ? undefined : JSON.stringify(body));
  };
  const text = (res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    res.end(body + '\n');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Step 1.
    if (expected === null && !isLoopbackHost(hostOf(req.headers.host))) return text(res, 403, 'forbidden: the Host header must name a loopback address');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://observer.invalid');
    } catch {
      return text(res, 400, 'bad request: the URL does not parse');
    }
    // Step 2.
    if (!tokenOk(req, url)) return text(res, 401, 'unauthorized: give the token as ?token=<t> or Authorization: Bearer <t>', { 'WWW-Authenticate': 'Bearer' });
    // Step 3.
    const known = ['/', '/events', '/api/frame', '/api/process', '/api/tree'];
    if (!known.includes(url.pathname)) return text(res, 404, `not found: ${url.pathname} (the page is at /)`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, `method not allowed: ${req.method ?? ''} (GET or HEAD)`, { Allow: 'GET, HEAD' });
    const head = req.method === 'HEAD';
    switch (url.pathname) {
      case '/': {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:" });
        res.end(head ? undefined : page);
        return;
      }
      case '/events': {
        // Step 4.
        if (clients.size >= s.maxClients) return text(res, 503, `too many pages open (maxClients ${s.maxClients})`, { 'Retry-After': '5' });
        res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        if (head) return void res.end();
        res.write('retry: 2000\n\n');
        clients.add(res);
        res.on('close', () => clients.delete(res));
        send(res, 'hello', { node: source.nodeName, intervalMs: s.intervalMs, history });
        if (lastTree !== null) send(res, 'tree', lastTree);
        if (clients.size === 1 || lastTree === null) void walkTree();
        return;
      }
      case '/api/frame':
        if (history.length === 0) return text(res, 503, 'no sample yet', { 'Retry-After': '1' });
        return json(res, 200, history[history.length - 1], head);
      case '/api/tree':
        return json(res, 200, await source.supervision(), head);
      case '/api/process': {
        const p = url.searchParams.get('pid');
        if (p === null || p === '') return text(res, 400, 'bad request: give ?pid=<a.b.c>');
        let info;
        try {
          info = await source.processInfo(p);
        } catch (e) {
          if (e instanceof BadArgError) return text(res, 400, `bad request: ${e.message}`);
          throw e;
        }
        if (info === undefined) return text(res, 404, `no such process: ${p} is not alive`);
        return json(res, 200, info, head);
      }
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) text(res, 500, `internal error: ${message(e)}`);
      else res.destroy();
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(s.port, s.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = s.host.includes(':') && !s.host.startsWith('[') ? `[${s.host}]` : s.host;
  void tick();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      for (const c of clients) c.end();
      clients.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  const tokenPart = s.token === null ? '' : `?token=${encodeURIComponent(s.token)}`;
  return { url: `http://${urlHost}:${port}/${tokenPart}`, port, close };
}
