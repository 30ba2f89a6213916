import { afterEach, describe, expect, it } from 'vitest';
import { defineGenLeader, GenLeader, NotInElectionError } from '../../src/cluster/leader/index.ts';
import { BadArgError, InvalidOptionError } from '../../src/core/errors.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/index.ts';
import { LeaderRecorder } from './fixtures/leader-node.ts';

// GenLeader.start's options are checked before anything starts (InvalidOptionError with
// the option named, BadArgError for missing or contradictory ones), a node outside the
// election is refused (NotInElectionError), and defineGenLeader wants its three required
// callbacks. A LocalNode without a name is 'nonode@nohost'.

let node: Node | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

describe('GenLeader.start options', () => {
  it('refuses bad options, naming them, and nodes outside the election', async () => {
    node = await startNode({ schedulers: 0 });
    const start = (opts: unknown) => GenLeader.start(node!, opts as never, LeaderRecorder, [node!.pid]);
    await expect(start({ name: 'e', candidates: [] })).rejects.toThrow(new InvalidOptionError('candidates', 'GenLeader.start: option "candidates" must be a non-empty array of distinct node names'));
    await expect(start({ name: 'e', candidates: ['a@h', 'a@h'] })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(start({ name: '', candidates: ['a@h'] })).rejects.toThrow('GenLeader.start: option "name" must be a non-empty string');
    await expect(start({ name: 'e', candidates: ['a@h'], retryMs: 0 })).rejects.toThrow('GenLeader.start: option "retryMs" must be a positive integer');
    await expect(start({ name: 'e', candidates: ['a@h'], leaderTimeout: 1 })).rejects.toThrow('GenLeader.start: unknown option "leaderTimeout"');
    await expect(start({ candidates: ['a@h'] })).rejects.toThrow(new BadArgError('GenLeader.start: option "name" is required'));
    await expect(start({ name: 'e', candidates: ['a@h'], workers: ['a@h'] })).rejects.toThrow('GenLeader.start: node "a@h" is both a candidate and a worker');
    const e = await start({ name: 'e', candidates: ['a@h'], workers: ['w@h'] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotInElectionError);
    expect(e).toMatchObject({ code: 'ERR_SB_LEADER_NOT_MEMBER', election: 'e', node: 'nonode@nohost' });
    expect(node.whereis('e')).toBeUndefined();
  });

  it('defineGenLeader wants init, elected and surrendered', () => {
    const ok = { init: () => ({ ok: 0 }), elected: (s: number) => ({ ok: true as const, synch: null, state: s }), surrendered: (s: number) => ({ ok: s }) };
    expect(() => defineGenLeader(import.meta.url, { ...ok, elected: undefined } as never)).toThrow(new BadArgError('defineGenLeader: impl.elected must be a function'));
    expect(() => defineGenLeader(import.meta.url, { ...ok, surrendered: undefined } as never)).toThrow('defineGenLeader: impl.surrendered must be a function');
    expect(() => defineGenLeader(import.meta.url, { ...ok, handleDOWN: 1 } as never)).toThrow('defineGenLeader: impl.handleDOWN must be a function');
  });
});
