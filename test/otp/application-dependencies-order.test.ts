import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { Application, defineApplication } from '../../src/otp/application.ts';
import { InvalidApplicationError, UndefinedApplicationError } from '../../src/otp/errors.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

const app = (name: string, dependencies: string[] = []) =>
  defineApplication({ name, dependencies, start: () => ({ children: [{ id: name, start: { behaviour: Worker, args: [name] } }] }) });

app('db');
app('cache', ['db']);
const web = app('web', ['cache', 'db']);
app('broken', ['missing']);
app('ping', ['pong']);
app('pong', ['ping']);

describe('Application dependencies', () => {
  it('starts dependencies first (each once), then the application', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    await Application.start(node, web);
    expect(log.map((m) => m.started)).toEqual(['db', 'cache', 'web']);
    expect(Application.whichApplications(node).map((a) => a.name)).toEqual(['db', 'cache', 'web']);
    for (const a of Application.whichApplications(node)) expect(await node.processInfo(a.top!)).toBeDefined();
  });

  it('an undefined dependency is an error naming it; a cycle is an error', async () => {
    node = new LocalNode();
    await expect(Application.start(node, 'broken')).rejects.toBeInstanceOf(UndefinedApplicationError);
    await expect(Application.start(node, 'broken')).rejects.toThrow('application "broken": dependency "missing" is not defined');
    await expect(Application.start(node, 'nothing')).rejects.toThrow('application "nothing" is not defined');
    await expect(Application.start(node, 'ping')).rejects.toBeInstanceOf(InvalidApplicationError);
    await expect(Application.start(node, 'ping')).rejects.toThrow('application "pong": dependency cycle ping -> pong -> ping');
  });

  it('starting a running application is AlreadyStartedError', async () => {
    node = new LocalNode();
    await recorder(node, 'report');
    await Application.start(node, 'db');
    await expect(Application.start(node, 'db')).rejects.toMatchObject({ code: 'ERR_SB_ALREADY_STARTED' });
  });
});
