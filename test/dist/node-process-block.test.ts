import { describe, expect, it } from 'vitest';
import { startNodeProcess } from './support/node-process.ts';

// 'block' really blocks: the child's main thread answers nothing else until the busy loop
// ends, and with `spinners` every scheduler thread spins at the same time (the spins
// overlap the main thread's loop instead of following it).

describe('node process harness: block', () => {
  it('blocks the main thread and, with spinners, both scheduler threads at once', async () => {
    const n = await startNodeProcess({ schedulers: 2 });
    const t0 = Date.now();
    const block = n.request<{ blockedMs: number }>({ cmd: 'block', ms: 1000, spinners: 2 });
    await n.events.waitFor((e) => e.event === 'blocking', 5000, 'the blocking event');
    const tb = Date.now();
    await n.request({ cmd: 'info' });
    const infoAfter = Date.now() - tb;
    const blocked = await block;
    const total = Date.now() - t0;
    expect(blocked.blockedMs).toBeGreaterThanOrEqual(1000);
    // Sent once the loop had begun, answered only after it ended (less the event's trip).
    expect(infoAfter).toBeGreaterThanOrEqual(700);
    expect(total).toBeLessThan(1900); // spins ran alongside the loop, not after it
    expect((await n.stop()).code).toBe(0);
  });
});
