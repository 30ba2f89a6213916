import { afterEach, describe, expect, it } from 'vitest';
import { DistApp } from '../../src/cluster/dist-app/index.ts';
import { InvalidOptionError, NotDistributedError } from '../../src/core/errors.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Application, defineApplication } from '../../src/otp/application.ts';
import { InvalidApplicationError } from '../../src/otp/errors.ts';

// The `distributed` field and the sync options are checked with typed errors that name
// the field; a distributed application needs the node's controller (DistApp.start), which
// needs a named node.

let n = 0;
const fresh = () => `dav_${++n}`;
const nodes: Node[] = [];
afterEach(async () => {
  for (const x of nodes.splice(0)) await x.stop();
});

describe('distributed application definitions and options', () => {
  it('refuses a malformed distributed field, naming what is wrong', () => {
    const bad: [unknown, string][] = [
      [{ nodes: [] }, 'distributed.nodes must be a non-empty array of node names or arrays of node names'],
      [{ nodes: ['a@h', []] }, 'distributed.nodes must be a non-empty array of node names or arrays of node names'],
      [{ nodes: ['a'] }, 'distributed.nodes: "a" is not a node name (name@host)'],
      [{ nodes: ['a@h', ['b@h', 'a@h']] }, 'distributed.nodes: "a@h" is listed twice'],
      [{ nodes: ['a@h'], failoverTimeoutMs: -1 }, 'distributed.failoverTimeoutMs must be a non-negative integer'],
      [{ nodes: ['a@h'], timeout: 5 }, 'distributed has an unknown field "timeout"'],
      ['a@h', 'distributed must be { nodes, failoverTimeoutMs? }'],
    ];
    for (const [distributed, message] of bad) {
      const name = fresh();
      expect(() => defineApplication({ name, distributed } as never)).toThrow(InvalidApplicationError);
      expect(() => defineApplication({ name, distributed } as never)).toThrow(`application "${name}": ${message}`);
    }
  });

  it('freezes a valid list; sync options are refused for a local application', async () => {
    const def = defineApplication({ name: fresh(), distributed: { nodes: ['a@h', ['b@h', 'c@h']] } });
    expect(def.distributed).toEqual({ nodes: ['a@h', ['b@h', 'c@h']], failoverTimeoutMs: 0 });
    expect(Object.isFrozen(def.distributed!.nodes[1])).toBe(true);
    const node = await startNode({ schedulers: 0 });
    nodes.push(node);
    const local = defineApplication({ name: fresh() });
    await expect(Application.start(node, local, { syncNodesOptional: ['a@h'] })).rejects.toThrow(InvalidApplicationError);
    await expect(Application.start(node, local, { syncNodesTimeoutMs: -5 })).rejects.toThrow(new InvalidOptionError('syncNodesTimeoutMs', 'Application.start: option "syncNodesTimeoutMs" must be a non-negative integer'));
    await expect(Application.start(node, local, { syncNodesMandatory: 'a@h' } as never)).rejects.toThrow('Application.start: option "syncNodesMandatory" must be an array of node names');
    await expect(Application.start(node, local, { sync: true } as never)).rejects.toThrow('Application.start: unknown option "sync"');
  });

  it('a distributed application needs DistApp.start, which needs a named node', async () => {
    const node = await startNode({ schedulers: 0 });
    nodes.push(node);
    const def = defineApplication({ name: fresh(), distributed: { nodes: ['a@h'] } });
    const e = await Application.start(node, def).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidApplicationError);
    expect((e as Error).message).toBe(`application "${def.name}" is distributed: start the node's distributed-application controller first (DistApp.start(node))`);
    expect(Application.whichApplications(node)).toEqual([]);
    await expect(DistApp.start(node)).rejects.toThrow(NotDistributedError);
    await expect(DistApp.start(node, { discoveryTimeoutMs: 0 })).rejects.toThrow(new InvalidOptionError('discoveryTimeoutMs', 'DistApp.start: option "discoveryTimeoutMs" must be a positive integer'));
    // Application.takeover of a local application is refused.
    const local = defineApplication({ name: fresh() });
    await Application.start(node, local);
    await expect(Application.takeover(node, local)).rejects.toThrow(`Application.takeover: application "${local.name}" is not distributed`);
  });
});
