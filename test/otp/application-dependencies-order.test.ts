import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { Application, defineApplication } from '../../src/otp/application.ts';
import { AlreadyStartedError, InvalidApplicationError, UndefinedApplicationError } from '../../src/otp/errors.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder, rejectionOf } from './helpers.ts';

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
    const broken = await rejectionOf(Application.start(node, 'broken'));
    expect(broken).toBeInstanceOf(UndefinedApplicationError);
    expect(broken).toMatchObject({ code: 'ERR_SB_UNDEF_APPLICATION', application: 'missing', message: 'application "broken": dependency "missing" is not defined' });
    const nothing = await rejectionOf(Application.start(node, 'nothing'));
    expect(nothing).toBeInstanceOf(UndefinedApplicationError);
    expect(nothing).toMatchObject({ code: 'ERR_SB_UNDEF_APPLICATION', application: 'nothing', message: 'application "nothing" is not defined' });
    const cycle = await rejectionOf(Application.start(node, 'ping'));
    expect(cycle).toBeInstanceOf(InvalidApplicationError);
    expect(cycle).toMatchObject({ code: 'ERR_SB_INVALID_APPLICATION', message: 'application "pong": dependency cycle ping -> pong -> ping' });
  });

  it('starting a running application is AlreadyStartedError', async () => {
    node = new LocalNode();
    await recorder(node, 'report');
    await Application.start(node, 'db');
    const again = await rejectionOf(Application.start(node, 'db'));
    expect(again).toBeInstanceOf(AlreadyStartedError);
    expect(again).toMatchObject({ code: 'ERR_SB_ALREADY_STARTED', application: 'db', message: 'application "db" is already started on this node' });
  });
});
