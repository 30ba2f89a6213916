import { afterEach, describe, expect, it } from 'vitest';
import { Membership, MembershipNotStartedError } from '../../src/cluster/membership/index.ts';
import { InvalidOptionError, NotDistributedError } from '../../src/core/errors.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Node } from '../../src/core/node.ts';

// Membership.start checks every option before it starts anything; queries on a node
// without the server say so with MembershipNotStartedError.
let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

async function refusal(opts: unknown): Promise<InvalidOptionError> {
  node ??= await startNode({ schedulers: 0 });
  const e = await Membership.start(node, opts as never).then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(InvalidOptionError);
  return e as InvalidOptionError;
}

describe('Membership.start options', () => {
  it('refuses unknown and bad options with the option named', async () => {
    expect((await refusal({ bogus: 1 })).message).toBe('Membership.start: unknown option "bogus"');
    expect((await refusal({ seeds: ['nohost'] })).message).toBe(`Membership.start: option "seeds" must be an array of node names ('b@host')`);
    expect((await refusal({ maxPeers: -1 })).message).toBe('Membership.start: option "maxPeers" must be an integer >= 0');
    expect((await refusal({ probeIntervalSec: 0 })).message).toBe('Membership.start: option "probeIntervalSec" must be a positive finite number of seconds');
    expect((await refusal({ probeIntervalSec: 1, probeTimeoutSec: 2 })).message).toBe('Membership.start: option "probeTimeoutSec" must be shorter than probeIntervalSec');
    expect((await refusal({ splitBrain: { strategy: 'keep-newest' } })).message).toBe(
      `Membership.start: option "splitBrain" .strategy must be 'keep-majority', 'static-quorum', 'keep-oldest' or 'down-all'`,
    );
    expect((await refusal({ splitBrain: { strategy: 'static-quorum' } })).message).toBe('Membership.start: option "splitBrain" .quorumSize is required by static-quorum');
    expect((await refusal({ splitBrain: { strategy: 'down-all', onLoss: 'panic' } })).message).toBe(`Membership.start: option "splitBrain" .onLoss must be 'wait' or 'stop-node'`);
    const e = await refusal({ splitBrain: { strategy: 'down-all', extra: 1 } });
    expect(e.message).toBe('Membership.start: option "splitBrain" has an unknown field "extra"');
    expect(e.option).toBe('splitBrain');
    expect(e.code).toBe('ERR_SB_INVALID_OPTION');
  });

  it('a node without a name: NotDistributedError', async () => {
    node = await startNode({ schedulers: 0 });
    const e = await Membership.start(node, { seeds: ['b@127.0.0.1'] }).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(NotDistributedError);
    expect((e as NotDistributedError).code).toBe('ERR_SB_NOT_DISTRIBUTED');
    expect((e as Error).message).toBe('Membership.start: this node has no name (start it with startNode({ name, cookie }) to use distribution)');
  });

  it('members() on a node without the server: MembershipNotStartedError', async () => {
    node = await startNode({ schedulers: 0 });
    const e = await Membership.members(node).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(MembershipNotStartedError);
    expect((e as MembershipNotStartedError).code).toBe('ERR_SB_MEMBERSHIP_NOT_STARTED');
    expect((e as Error).message).toBe('Membership.members: no membership server on nonode@nohost (call Membership.start first)');
  });
});
