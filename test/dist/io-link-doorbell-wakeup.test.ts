import { afterEach, describe, expect, it } from 'vitest';
import { kOutMessage } from '../../src/dist/io-protocol.ts';
import { readDoorbellCounters } from '../../src/threads/doorbell.ts';
import { collect, makePayload, startEcho, type EchoLink } from './fixtures/io-link-helpers.ts';

let link: EchoLink | null = null;
afterEach(async () => {
  await link?.stop();
  link = null;
});

/** Resolve once the sleeper of `bell` is parked (a wait on the shared counter). */
async function whenParked(bell: SharedArrayBuffer): Promise<void> {
  while (!readDoorbellCounters(bell).parked) await new Promise((r) => setImmediate(r));
}

describe('io link: an idle side sleeps on its doorbell and a write wakes it', () => {
  it('wakes the parked I/O side with one notify per round trip, and stays parked while idle', async () => {
    link = await startEcho();
    const { end, buffers } = link;
    for (let round = 0; round < 5; round++) {
      await whenParked(buffers.ioBell);
      const io0 = readDoorbellCounters(buffers.ioBell);
      const done = collect(end, 1);
      end.write(kOutMessage, round, 0, makePayload(round, 10));
      end.flush();
      const [r] = await done;
      expect(r!.conn).toBe(round);
      await whenParked(buffers.ioBell);
      const io1 = readDoorbellCounters(buffers.ioBell);
      // The worker was woken by exactly one notify (ours), not by a timer: a park has no timeout.
      expect(io1.notifies - io0.notifies).toBe(1);
      // It re-parked at most twice meanwhile (once after the wake, once after a spurious re-check).
      expect(io1.parks - io0.parks).toBeLessThanOrEqual(2);
    }
    // The node side was woken by the worker's ring as well.
    expect(readDoorbellCounters(buffers.nodeBell).notifies).toBeGreaterThanOrEqual(1);
  });
});
