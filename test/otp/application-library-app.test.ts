import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { Application, defineApplication } from '../../src/otp/application.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

const phases: string[] = [];
const stopped: string[] = [];
defineApplication({ name: 'util', env: { precision: 3 }, stop: () => void stopped.push('util') });
defineApplication({
  name: 'svc',
  dependencies: ['util'],
  start: () => ({ children: [{ id: 'svc', start: { behaviour: Worker, args: ['svc'] } }] }),
  startPhases: [
    { name: 'first', run: ({ top }) => void phases.push(`first:${top !== null}`) },
    { name: 'second', run: async () => void phases.push('second') },
  ],
});

describe('Application: library applications and start phases', () => {
  it('a library application starts no process, yet counts as running and can be stopped', async () => {
    node = new LocalNode();
    const before = (await node.processes()).length;
    await Application.start(node, 'util');
    expect((await node.processes()).length).toBe(before);
    expect(Application.whichApplications(node)).toEqual([{ name: 'util', top: null }]);
    await Application.stop(node, 'util');
    expect(stopped).toEqual(['util']);
    expect(Application.whichApplications(node)).toEqual([]);
    await expect(Application.stop(node, 'util')).rejects.toMatchObject({ code: 'ERR_SB_NOT_STARTED' });
  });

  it('start phases run in order after the top supervisor started', async () => {
    node = new LocalNode();
    await recorder(node, 'report');
    await Application.start(node, 'svc');
    expect(phases).toEqual(['first:true', 'second']);
  });
});
