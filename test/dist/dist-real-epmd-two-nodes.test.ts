import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { epmdNames, hasEpmd, startRealEpmd, type RealEpmd } from './fixtures/erlang-tools.ts';
import { freePort } from './fixtures/free-port.ts';
import { startNodeProcess } from './support/node-process.ts';

// Two Switchboard node processes register in the real epmd (on a free port, in the
// foreground: it dies with the test), `epmd -names` lists them, and they find each other
// through it: a send by name connects them.

if (!hasEpmd) console.warn('dist-real-epmd-two-nodes: skipped, `epmd` is not installed (apt-get install erlang-nox)');

describe.skipIf(!hasEpmd)('distribution through the real epmd', () => {
  let epmd: RealEpmd;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // Foreground (no -daemon): it dies with stop() in afterAll.
    epmd = await startRealEpmd(port);
  });

  afterAll(async () => {
    await epmd.stop();
  });

  it('lists both nodes in `epmd -names`, and they connect through it', async () => {
    const dist = { listen: { host: '127.0.0.1', port: 0 }, portMapper: { host: '127.0.0.1', port } };
    const a = await startNodeProcess({ name: 'epa@127.0.0.1', cookie: 'c', dist });
    const b = await startNodeProcess({ name: 'epb@127.0.0.1', cookie: 'c', dist });
    const names = await epmdNames(port);
    expect(names).toMatch(/name epa at port \d+/);
    expect(names).toMatch(/name epb at port \d+/);

    await b.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
    await a.request({ cmd: 'send', to: { name: 'echo', node: 'epb@127.0.0.1' }, msg: { echoTo: { $gateway: true }, msg: 'via epmd' } });
    expect(await a.events.waitFor((e) => e.event === 'message', 10_000, 'the echo')).toEqual({ event: 'message', msg: { echoed: 'via epmd', from: 'epb@127.0.0.1' } });
    expect(await a.request({ cmd: 'nodes' })).toEqual(['epb@127.0.0.1']);

    await a.stop();
    await b.stop();
    // Their registrations ended with them.
    await vi.waitFor(async () => expect(await epmdNames(port)).not.toMatch(/name ep[ab] /), { timeout: 5000, interval: 50 });
  }, 40_000);
});
