import { afterEach, describe, expect, it } from 'vitest';
import type { MicrostateReport } from '../../src/core/microstate.ts';
import { kOutMessage } from '../../src/dist/io-protocol.ts';
import { startThreadedDistNode, until, type ThreadedDistNode } from '../threads/fixtures/dist-node.ts';
import { BigRemoteSender, msaccDelta } from './fixtures/msacc-actors.ts';

// A scheduler thread encodes a remote send whose message holds a large binary as the dist
// op itself (threads/dist-forward.ts): that encoding is the thread's codec time, as the
// codec of a send through the rings is. The peer is played by a fake I/O thread
// (test/dist/support/fake-io-host.ts); the scheduler and the gateway are real threads.

let t: ThreadedDistNode | undefined;
afterEach(async () => {
  await t?.node.stop();
  t = undefined;
});

describe('msacc: dist-op encoding on a scheduler thread', () => {
  it('big remote sends show as codec time of the sending scheduler', async () => {
    t = await startThreadedDistNode(1);
    const d = t;
    d.up(3);
    const n = 300;
    const read = (): MicrostateReport => d.node.stats().schedulers[0]!['msacc'] as MicrostateReport;
    const sender = await d.node.spawn(BigRemoteSender, [d.peerPid(7), n, 1500, d.node.pid], { scheduler: 0 });
    const a = read();
    d.node.send(sender, 'go');
    let written = 0;
    await until(() => {
      // Count the ops the fake I/O thread got and let their copies go (bounded memory).
      for (const r of d.io.written) if (r.kind === kOutMessage) written++;
      d.io.written.length = 0;
      return written === n;
    }, 'every big send written', 60_000);
    const b = read();
    expect(d.seen).toContain('sent');
    const shares = msaccDelta(a, b);
    // Of the sender's busy samples (it parks once its sends are out, while the gateway
    // still writes them), a large part is codec: 0.84 on a quiet machine, 0.53 once under
    // the full suite's load; without the marks it was 0.008 (all actor). The bound sits far
    // from both.
    const busy = shares['codec']! + shares['actor']!;
    expect(busy * (b.samples - a.samples)).toBeGreaterThan(30);
    expect(shares['codec']! / busy).toBeGreaterThan(0.3);
  }, 90_000);
});
