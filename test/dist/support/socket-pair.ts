/** A connected pair of real loopback TCP sockets for handshake tests; `close()` ends both and the server. */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface SocketPair {
  readonly client: Socket;
  readonly server: Socket;
  /** Every byte the client sent / received, in order. */
  readonly fromClient: Buffer[];
  readonly fromServer: Buffer[];
  close(): Promise<void>;
}

export async function socketPair(): Promise<SocketPair> {
  const srv: Server = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  const accepted = new Promise<Socket>((r) => srv.once('connection', r));
  const client = connect(port, '127.0.0.1');
  await new Promise<void>((r, j) => client.once('connect', r).once('error', j));
  const server = await accepted;
  const fromClient: Buffer[] = [];
  const fromServer: Buffer[] = [];
  // Spy on writes (the handshake reads with its own listeners).
  const spy = (s: Socket, into: Buffer[]): void => {
    const w = s.write.bind(s);
    (s as { write: unknown }).write = (chunk: Uint8Array, ...rest: unknown[]) => {
      into.push(Buffer.from(chunk));
      return (w as (...a: unknown[]) => boolean)(chunk, ...rest);
    };
    const e = s.end.bind(s);
    (s as { end: unknown }).end = (chunk?: unknown, ...rest: unknown[]) => {
      if (chunk instanceof Uint8Array) into.push(Buffer.from(chunk));
      return (e as (...a: unknown[]) => Socket)(chunk, ...rest);
    };
  };
  spy(client, fromClient);
  spy(server, fromServer);
  return {
    client,
    server,
    fromClient,
    fromServer,
    async close() {
      client.destroy();
      server.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
}

export const self = (name: string, cookie = 'secret', extra: Record<string, unknown> = {}) => ({
  name,
  creation: 7,
  hidden: false,
  flags: 7,
  cookie,
  setupTimeMs: 2000,
  ...extra,
});
