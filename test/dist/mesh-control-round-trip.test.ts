import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeshControlError } from '../../src/dist/io-errors.ts';
import { decodeControl, encodeNodesControl, meshTargets } from '../../src/dist/mesh-control.ts';

describe('mesh control: the "nodes" frame', () => {
  it('decodes what it encodes, for any list of names', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 50 }), (names) => {
        expect(decodeControl(encodeNodesControl(names))).toEqual({ kind: 'nodes', names });
      }),
    );
  });

  it('lays the list out as tag 1, u16 count, then u16-prefixed UTF-8 names (big-endian)', () => {
    expect([...encodeNodesControl(['b@h', 'é'])]).toEqual([1, 0, 2, 0, 3, 0x62, 0x40, 0x68, 0, 2, 0xc3, 0xa9]);
  });

  it('refuses malformed bodies with MeshControlError naming what is wrong', () => {
    const bad: [number[], string][] = [
      [[], 'mesh control: an empty control body'],
      [[9], 'mesh control: unknown control tag 9'],
      [[1, 0], 'mesh control: a "nodes" body of 2 bytes (its header is 3)'],
      [[1, 0, 1, 0], 'mesh control: the "nodes" body ends inside name 0 of 1'],
      [[1, 0, 1, 0, 5, 0x61], 'mesh control: the "nodes" body ends inside name 0 of 1'],
      [[1, 0, 1, 0, 1, 0xff], 'mesh control: name 0 is not UTF-8'],
      [[1, 0, 0, 7], 'mesh control: 1 bytes after the last name'],
    ];
    for (const [bytes, message] of bad) {
      let err: unknown;
      try {
        decodeControl(new Uint8Array(bytes));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MeshControlError);
      expect((err as MeshControlError).code).toBe('ERR_SB_MESH_CONTROL');
      expect((err as Error).message).toBe(message);
    }
  });

  it('connects to the listed names it lacks: not itself, not known ones, each once; a hidden node to none', () => {
    const known = new Set(['b@h']);
    expect(meshTargets(['a@h', 'b@h', 'c@h', 'c@h', 'd@h'], 'a@h', false, (n) => known.has(n))).toEqual(['c@h', 'd@h']);
    expect(meshTargets(['c@h'], 'a@h', true, () => false)).toEqual([]);
  });
});
