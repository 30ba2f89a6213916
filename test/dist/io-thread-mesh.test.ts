import { afterEach, describe, expect, it } from 'vitest';
import { kInNodeUp } from '../../src/dist/io-protocol.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';

let sides: NodeSide[] = [];
afterEach(async () => {
  await stopAll(sides);
  sides = [];
});

const names = async (s: NodeSide): Promise<string[]> => (await s.host.stats()).connections.map((c) => c.name).sort();

describe('io thread: visible nodes form a full mesh; hidden ones stay out of it', () => {
  it('connects c to b after c connects to a, and never meshes the hidden node h', async () => {
    const pm = await freePort();
    const [a, b, c, h] = await Promise.all(
      ['a', 'b', 'c', 'h'].map((n) => startSide(testConfig(`${n}@127.0.0.1`, pm, { hidden: n === 'h' }))),
    );
    sides.push(a!, b!, c!, h!);
    b!.connect('a@127.0.0.1');
    await a!.nodeUp('b@127.0.0.1');
    h!.connect('a@127.0.0.1');
    const upH = await a!.nodeUp('h@127.0.0.1');
    expect(upH.json!.hidden).toBe(true);
    c!.connect('a@127.0.0.1');
    // a tells c of b (not of h); c connects to b by itself.
    await Promise.all([c!.nodeUp('b@127.0.0.1'), b!.nodeUp('c@127.0.0.1')]);
    expect(await names(a!)).toEqual(['b@127.0.0.1', 'c@127.0.0.1', 'h@127.0.0.1']);
    expect(await names(b!)).toEqual(['a@127.0.0.1', 'c@127.0.0.1']);
    expect(await names(c!)).toEqual(['a@127.0.0.1', 'b@127.0.0.1']);
    expect(await names(h!)).toEqual(['a@127.0.0.1']);
    expect(h!.records.filter((r) => r.kind === kInNodeUp).map((r) => r.json!.name)).toEqual(['a@127.0.0.1']);
  });
});
