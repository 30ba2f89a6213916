import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePortMapper, type EnsuredPortMapper } from '../../src/dist/port-mapper.ts';
import { lookupNode, registerNode } from '../../src/dist/port-mapper-client.ts';
import { PortMapperError } from '../../src/dist/errors.ts';
import { freePort } from './fixtures/free-port.ts';

const started: EnsuredPortMapper[] = [];
let silent: net.Server | undefined;
const silentSockets: net.Socket[] = [];
afterEach(async () => {
  for (const m of started.splice(0)) if (m.kind === 'embedded') await m.server.close();
  for (const s of silentSockets.splice(0)) s.destroy();
  if (silent) await new Promise<void>((resolve) => silent!.close(() => resolve()));
  silent = undefined;
});

describe('ensurePortMapper: the port mapper that answers, else an embedded one', () => {
  it('starts the embedded one on a free port; the next caller uses it', async () => {
    const port = await freePort();
    const first = await ensurePortMapper({ port });
    started.push(first);
    expect(first.kind).toBe('embedded');
    const second = await ensurePortMapper({ port });
    expect(second).toEqual({ kind: 'external', host: '127.0.0.1', port });
    const reg = await registerNode({ port, name: 'n', listenPort: 1234 });
    expect(await lookupNode('n', { port })).toMatchObject({ port: 1234 });
    await reg.close();
  });

  it('two callers at once: exactly one starts it', async () => {
    const port = await freePort();
    const both = await Promise.all([ensurePortMapper({ port }), ensurePortMapper({ port })]);
    started.push(...both);
    expect(both.map((m) => m.kind).sort()).toEqual(['embedded', 'external']);
  });

  it('when the embedded one stops, a registered node sees it and can take over', async () => {
    const port = await freePort();
    const first = await ensurePortMapper({ port });
    expect(first.kind).toBe('embedded');
    const reg = await registerNode({ port, name: 'survivor', listenPort: 4321 });
    if (first.kind === 'embedded') await first.server.close();
    await reg.closed;
    expect(reg.active).toBe(false);
    const next = await ensurePortMapper({ port });
    started.push(next);
    expect(next.kind).toBe('embedded');
    const again = await registerNode({ port, name: 'survivor', listenPort: 4321 });
    expect(await lookupNode('survivor', { port })).toMatchObject({ port: 4321 });
    await again.close();
  });

  it('a port held by something that never answers is a timeout, not a second server', async () => {
    silent = net.createServer((s) => {
      silentSockets.push(s); // reads nothing, answers nothing
      s.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent!.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
    const port = (silent.address() as net.AddressInfo).port;
    const err = await ensurePortMapper({ port, timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortMapperError);
    expect((err as PortMapperError).message).toBe(`listNames: no answer from the port mapper at 127.0.0.1:${port} within 100 ms`);
  });
});
