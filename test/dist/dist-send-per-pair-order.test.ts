import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from './support/node-cluster.ts';

// Order per pair under load: two senders on a flood one receiver on b, messages large
// enough to be cut into fragments (fragmentBytes 1024, 3000-byte pads) interleaved with
// small ones; every sender's messages arrive complete, in the order it sent them.

const kN = 3000;

describe('distribution: per-pair order under load', () => {
  it("keeps each sender's order across fragments and interleaving", async () => {
    const { nodes: { a, b } } = await startCluster(['a', 'b'], { per: { a: { dist: { fragmentBytes: 1024 } }, b: { dist: { fragmentBytes: 1024 } } } });
    await b!.request({ cmd: 'spawn', behaviour: 'Collector', args: [{ $gateway: true }], register: 'inbox' });
    const big = await a!.request<{ pid: string }>({ cmd: 'spawn', behaviour: 'Sender' });
    const small = await a!.request<{ pid: string }>({ cmd: 'spawn', behaviour: 'Sender' });
    const inbox = { name: 'inbox', node: fullName('b') };
    await Promise.all([
      a!.request({ cmd: 'call', to: { pid: big.pid }, msg: { burst: { to: inbox, n: kN, tag: 'big', pad: 3000 } }, timeoutMs: 20_000 }, 25_000),
      a!.request({ cmd: 'call', to: { pid: small.pid }, msg: { burst: { to: inbox, n: kN, tag: 'small' } }, timeoutMs: 20_000 }, 25_000),
    ]);
    for (const tag of ['big', 'small']) {
      await b!.events.waitFor((e) => e.event === 'message' && (e.msg as { tag?: string }).tag === tag, 20_000, `the last ${tag} message`);
    }
    const got = (await b!.request<{ value: { tag: string; seq?: number; pad?: number; last?: boolean }[] }>({ cmd: 'call', to: { name: 'inbox' }, msg: 'digest' }, 20_000)).value;
    expect(got).toHaveLength(2 * (kN + 1));
    for (const tag of ['big', 'small']) {
      const mine = got.filter((m) => m.tag === tag);
      expect(mine.slice(0, kN).map((m) => m.seq)).toEqual(Array.from({ length: kN }, (_, i) => i));
      expect(mine[kN]).toEqual({ tag, last: true });
      expect(mine.slice(0, kN).every((m) => m.pad === (tag === 'big' ? 3000 : 0))).toBe(true);
    }
  }, 30_000);
});
