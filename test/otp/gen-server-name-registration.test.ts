import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { NameTakenError } from '../../src/core/errors.ts';
import { GenServer, serverName } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';
import { inActor, rejectionOf } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: name registration', () => {
  it('start with { name } registers the server; calls and casts by name work; the name is typed', async () => {
    node = new LocalNode();
    const pid = (await GenServer.start(node, Counter, [1], { name: 'counter' }))!;
    expect(node.whereis('counter')!.equals(pid)).toBe(true);
    const name = serverName<typeof Counter>('counter');
    GenServer.cast(node, name, 'inc');
    expect(await GenServer.call(node, name, 'get')).toBe(2);
    // @ts-expect-error — a typed name rejects a wrong message at compile time
    void (() => GenServer.call(node, name, { nope: 1 }));
    const fromActor = await inActor(node, function* (ctx) {
      return yield* GenServer.call(ctx, name, { add: 10 });
    });
    expect(fromActor).toBe(12);
  });

  it('a second start with a taken name fails with NameTakenError, from the node and from an actor', async () => {
    node = new LocalNode();
    await GenServer.start(node, Counter, [1], { name: 'counter' });
    const fromNode = await rejectionOf(GenServer.start(node, Counter, [2], { name: 'counter' }));
    expect(fromNode).toBeInstanceOf(NameTakenError);
    expect(fromNode).toMatchObject({ code: 'ERR_SB_NAME_TAKEN', message: 'name already registered: counter' });
    const err = await inActor(node, function* (ctx) {
      try {
        yield* GenServer.startLink(ctx, Counter, [3], { name: 'counter' });
        return null;
      } catch (e) {
        return e;
      }
    });
    expect(err).toBeInstanceOf(NameTakenError);
    expect(err).toMatchObject({ code: 'ERR_SB_NAME_TAKEN', message: 'name already registered: counter' });
  });
});
