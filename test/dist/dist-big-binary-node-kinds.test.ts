import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from './support/node-cluster.ts';

// A message holding large typed arrays (out of band, src/codec/op-parts.ts) arrives whole
// between a node on two scheduler threads and one on the calling thread, both ways: on
// the threaded side the bytes cross to and from the scheduler threads on the side channel
// (threads/dist-large-port.ts). The sender's arrays stay as they were (a send copies), and
// the pinger on the same connection still gets answers afterwards (nothing held it up for
// good; dist-big-message-pings-flow asserts pongs during a crossing).

const kMiB = 16;

describe('distribution: large binaries between node kinds', () => {
  it('arrive intact on 2 and 0 schedulers, the sender keeps its own, pings flow', async () => {
    const { nodes: { t, l } } = await startCluster(['t', 'l'], { per: { t: { schedulers: 2 }, l: { schedulers: 0 } } });
    await t!.request({ cmd: 'spawn', behaviour: 'BigPatternSink', register: 'sink' });
    await l!.request({ cmd: 'spawn', behaviour: 'BigPatternSink', register: 'sink' });
    await l!.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
    await t!.request({ cmd: 'spawn', behaviour: 'Pinger', args: [{ name: 'echo', node: fullName('l') }, { $gateway: true }, 'ping', 5] });
    const pongs = (): number => t!.events.all.filter((e: any) => e.event === 'message' && e.msg?.seen === 'PONG').length;
    await t!.events.waitFor((e: any) => e.event === 'message' && e.msg?.seen === 'PONG', 10_000, 'a first pong');

    // t (a scheduler thread) -> l: DISTOUT through the side channel.
    const ts = await t!.request<{ pid: string }>({ cmd: 'spawn', behaviour: 'BigPatternSender' });
    const before = pongs();
    const sentT = await t!.request({ cmd: 'call', to: { pid: ts.pid }, msg: { bigPattern: { to: { name: 'sink', node: fullName('l') }, mib: kMiB, report: { $gateway: true } } }, timeoutMs: 20_000 });
    expect(sentT).toEqual({ value: { intact: true } });
    // The sink's report comes back to the sender's node (report: its gateway).
    expect(await t!.events.waitFor((e: any) => e.msg?.harness === 'bigPattern', 30_000, 'the arrays at l'))
      .toEqual({ event: 'message', msg: { harness: 'bigPattern', seen: 'BIG', ok: true, bytes: kMiB * 1024 * 1024 } });

    // l -> t (a scheduler thread): DISTIN through the side channel.
    const ls = await l!.request<{ pid: string }>({ cmd: 'spawn', behaviour: 'BigPatternSender' });
    const sentL = await l!.request({ cmd: 'call', to: { pid: ls.pid }, msg: { bigPattern: { to: { name: 'sink', node: fullName('t') }, mib: kMiB, report: { $gateway: true } } }, timeoutMs: 20_000 });
    expect(sentL).toEqual({ value: { intact: true } });
    expect(await l!.events.waitFor((e: any) => e.msg?.harness === 'bigPattern', 30_000, 'the arrays at t'))
      .toEqual({ event: 'message', msg: { harness: 'bigPattern', seen: 'BIG', ok: true, bytes: kMiB * 1024 * 1024 } });
    const after = pongs();
    await t!.events.waitFor(() => pongs() > after, 10_000, 'a pong after both crossed');
    expect(pongs()).toBeGreaterThan(before);
  }, 60_000);
});
