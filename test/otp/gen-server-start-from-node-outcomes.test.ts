// GenServer.start from a node's embedding thread runs the one start protocol (a starter
// process, start-ack.ts N1-N3), so every outcome of init is reported as from a process —
// including a crash at once on a scheduler thread, which the old spawn + ping start
// reported as 'noproc' ("its reason was not seen").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { NameTakenError } from '../../src/core/errors.ts';
import { StartFailedError } from '../../src/otp/errors.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { CrashAtOnce, IgnoreInit, Mute, Quick, StopInInit } from './fixtures/start-outcomes.ts';
import { waitFor } from './helpers.ts';

for (const schedulers of [0, 2]) {
  describe(`GenServer.start from a node (schedulers: ${schedulers})`, () => {
    let node: Node;
    beforeAll(async () => {
      node = await startNode({ schedulers });
    });
    afterAll(() => node.stop());

    async function failure(p: Promise<unknown>): Promise<StartFailedError> {
      const e = await p.then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(StartFailedError);
      expect((e as StartFailedError).code).toBe('ERR_SB_START_FAILED');
      return e as StartFailedError;
    }

    it('a crash at once in init fails the start with the crash as its reason (five times, never noproc)', async () => {
      for (let i = 0; i < 5; i++) {
        const e = await failure(GenServer.start(node, CrashAtOnce, []));
        expect(e.reason).toMatchObject({ kind: 'error', name: 'Error', message: 'boom in init' });
      }
    });

    it('{ stop: reason } fails the start with that reason; { ignore } gives null', async () => {
      const e = await failure(GenServer.start(node, StopInInit, [{ why: 'no_thanks' }]));
      expect(e.reason).toEqual({ why: 'no_thanks' });
      expect(e.message).toBe('the process failed to start: {"why":"no_thanks"}');
      await expect(GenServer.start(node, IgnoreInit, [])).resolves.toBeNull();
    });

    it('no ack within the start timeout fails with "timeout"; the process is killed and its name freed', async () => {
      const before = (await node.processes()).length;
      const e = await failure(GenServer.start(node, Mute, [], { timeoutMs: 50, name: 'mute-init' }));
      expect(e.reason).toBe('timeout');
      expect(e.message).toBe('the process did not finish init within 50 ms');
      // The starter answered after the child's DOWN (start-ack.ts step 5): the name is gone.
      expect(node.whereis('mute-init')).toBeUndefined();
      // The starter itself ends right after its reply: wait for the count to come back.
      await waitFor(async () => (await node.processes()).length === before);
    });

    it('a name already taken rejects with NameTakenError itself, as node.spawn does', async () => {
      const pid = await GenServer.start(node, Quick, [], { name: 'taken-once' });
      expect(pid).not.toBeNull();
      const e = await GenServer.start(node, Quick, [], { name: 'taken-once' }).then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(NameTakenError);
      expect((e as NameTakenError).code).toBe('ERR_SB_NAME_TAKEN');
    });
  });
}
