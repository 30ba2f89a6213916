import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from './support/node-cluster.ts';

// A large message (64 MiB here; the benchmark sends 200 MiB and measures the pings) is cut
// into fragments and interleaved with other traffic on the one connection: pings on the
// same connection keep arriving while it crosses. (Erlang's distribution sends the whole
// message first: a ping waits behind it.)

const kMiB = 64;

describe('distribution: a large message does not hold back a ping', () => {
  it('pongs keep arriving while the large message crosses', async () => {
    const { nodes: { a, b } } = await startCluster(['a', 'b']);
    await b!.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
    await b!.request({ cmd: 'spawn', behaviour: 'BigSink', register: 'sink' });
    await a!.request({ cmd: 'spawn', behaviour: 'Pinger', args: [{ name: 'echo', node: fullName('b') }, { $gateway: true }, 'ping', 5] });
    const pongs = (): number => a!.events.all.filter((e: any) => e.event === 'message' && e.msg?.seen === 'PONG').length;
    await a!.events.waitFor((e: any) => e.event === 'message' && e.msg?.seen === 'PONG', 10_000, 'a first pong');

    const big = await a!.request<{ pid: string }>({ cmd: 'spawn', behaviour: 'BigSender' });
    const before = pongs();
    await a!.request({ cmd: 'call', to: { pid: big.pid }, msg: { big: { to: { name: 'sink', node: fullName('b') }, mib: kMiB, report: { $gateway: true } } }, timeoutMs: 20_000 });
    await a!.events.waitFor((e: any) => e.event === 'message' && e.msg?.seen === 'BIG', 30_000, 'the large message at b');
    const during = pongs() - before;
    expect(a!.events.all.find((e: any) => e.msg?.seen === 'BIG')).toEqual({ event: 'message', msg: { harness: 'big', seen: 'BIG', bytes: kMiB * 1024 * 1024 } });
    // Pings went on while it crossed.
    expect(during).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
