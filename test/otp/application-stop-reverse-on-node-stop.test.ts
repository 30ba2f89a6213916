import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { Application, defineApplication } from '../../src/otp/application.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder } from './helpers.ts';

const order: string[] = [];
for (const [name, deps] of [['a', []], ['b', ['a']], ['c', ['b']]] as const) {
  defineApplication({
    name,
    dependencies: [...deps],
    start: () => ({ children: [{ id: `${name}1`, start: { behaviour: Worker, args: [`${name}1`] } }, { id: `${name}2`, start: { behaviour: Worker, args: [`${name}2`] } }] }),
    stop: () => void order.push(`stop ${name}`),
  });
}

describe('Application: node.stop()', () => {
  it('stops every application in reverse start order, each one shutting its processes down in reverse', async () => {
    const node = new LocalNode();
    const { log } = await recorder(node, 'report');
    await Application.start(node, 'c');
    expect(log.map((m) => m.started)).toEqual(['a1', 'a2', 'b1', 'b2', 'c1', 'c2']);
    log.length = 0;
    await node.stop();
    expect(log.map((m) => [m.stopped, m.reason])).toEqual([
      ['c2', 'shutdown'], ['c1', 'shutdown'], ['b2', 'shutdown'], ['b1', 'shutdown'], ['a2', 'shutdown'], ['a1', 'shutdown'],
    ]);
    expect(order).toEqual(['stop c', 'stop b', 'stop a']);
    expect(node.running).toBe(false);
  });

  it('Application.stop stops one application and leaves its dependencies running', async () => {
    const node = new LocalNode();
    const { log } = await recorder(node, 'report');
    await Application.start(node, 'b');
    log.length = 0;
    await Application.stop(node, 'b');
    expect(log.map((m) => m.stopped)).toEqual(['b2', 'b1']);
    expect(Application.whichApplications(node).map((a) => a.name)).toEqual(['a']);
    await node.stop();
  });
});
