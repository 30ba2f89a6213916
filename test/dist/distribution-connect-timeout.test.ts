import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { nodeTable } from '../../src/core/node-table.ts';
import { Distribution } from '../../src/dist/distribution.ts';
import { kOutConnect } from '../../src/dist/io-protocol.ts';
import { FakeIoHost } from './support/fake-io-host.ts';

// connectNode never waits for ever: with no answer from the I/O thread within its bound
// it resolves false (and a later nodeup still brings the node up).

let node: LocalNode | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

describe('Distribution connectNode bound', () => {
  it('resolves false when nothing answers within connectTimeoutMs', async () => {
    nodeTable.setLocal('a@h', 1);
    const io = new FakeIoHost();
    node = new LocalNode({}, 'LocalNode', new Distribution('a@h', io, process.cwd(), () => {}, 100));
    const t0 = Date.now();
    await expect(node.connectNode('b@h')).resolves.toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(io.written.filter((r) => r.kind === kOutConnect)).toHaveLength(1);
    // The request is over: the next connectNode asks the I/O thread again.
    void node.connectNode('b@h');
    await Promise.resolve();
    expect(io.written.filter((r) => r.kind === kOutConnect)).toHaveLength(2);
  });
});
