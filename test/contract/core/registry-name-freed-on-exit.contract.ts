import { describe, expect, it } from 'vitest';
import { NameTakenError, NotRegisteredError } from '../../../src/index.ts';
import { rejectionOf } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Probe } from '../fixtures/probe.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('registry: names seen by every scheduler, taken once, freed when the process exits', () => {
    it('register, whereis and send by name, from the embedding thread and from an actor on another scheduler', async () => {
      const { node, inbox } = kind;
      const owner = await node.spawn(Probe, [node.pid], kind.placeOn(0));
      const other = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      await node.register('contract_owner', owner);
      expect(node.whereis('contract_owner')).toEqual(owner);
      expect(node.registered()).toContain('contract_owner');
      expect(await node.call(other, { whereis: 'contract_owner' })).toEqual(owner);

      node.send('contract_owner', { hello: 'by name' });
      expect((await inbox.next((m: any) => m.probe?.equals?.(owner) === true && m.got?.hello !== undefined, 'the message sent by name')).got).toEqual({ hello: 'by name' });
      expect(await node.call(other, { send: { to: 'contract_owner', msg: { hello: 'from an actor' } } })).toBe('sent');
      expect((await inbox.next((m: any) => m.probe?.equals?.(owner) === true && m.got?.hello !== undefined, 'the message an actor sent by name')).got).toEqual({ hello: 'from an actor' });
      expect(await node.call('contract_owner', 'self')).toEqual(owner);
    });

    it('a taken name is refused with NameTakenError; an unknown name with NotRegisteredError', async () => {
      const { node } = kind;
      const a = await node.spawn(Probe, [node.pid], kind.placeOn(0));
      const b = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      await node.register('contract_taken', a);
      const taken = await rejectionOf(Promise.resolve().then(() => node.register('contract_taken', b)));
      expect(taken).toBeInstanceOf(NameTakenError);
      expect(taken).toMatchObject({ code: 'ERR_SB_NAME_TAKEN', registeredName: 'contract_taken' });
      expect(node.whereis('contract_taken')).toEqual(a);

      let unknown: unknown = null;
      try {
        node.send('contract_nobody', 'x');
      } catch (e) {
        unknown = e;
      }
      expect(unknown).toBeInstanceOf(NotRegisteredError);
      expect(unknown).toMatchObject({ code: 'ERR_SB_NOT_REGISTERED', message: 'name not registered: contract_nobody' });
    });

    it('the name is freed when its process exits: before its DOWN arrives, and free to take again', async () => {
      const { node, inbox } = kind;
      const watcher = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      const owner = await node.spawn(Probe, [node.pid], kind.placeOn(0));
      expect(await node.call(owner, { register: 'contract_freed' })).toBe('registered');
      expect(node.whereis('contract_freed')).toEqual(owner);
      const ref = await node.call(watcher, { monitor: owner });
      await node.call(owner, { die: 'normal' });
      await inbox.next((m: any) => m.got?.type === 'DOWN' && m.got.ref?.equals?.(ref) === true, "the owner's DOWN");
      // The watcher saw the DOWN: the name was dropped before it was sent.
      expect(await node.call(watcher, { whereis: 'contract_freed' })).toBeNull();
      expect(node.whereis('contract_freed')).toBeUndefined();
      const next = await node.spawn(Probe, [node.pid], kind.placeOn(1));
      await node.register('contract_freed', next);
      expect(node.whereis('contract_freed')).toEqual(next);
    });
  });
}
