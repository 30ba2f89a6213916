import { describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { addRow, removeRow, rowHash } from '../../src/cluster/global/table-digest.ts';

// The digest two name servers compare (table-digest.ts): the same rows give the same
// digest in any order, a removal undoes an addition, and a different owner (node, id or
// serial) or name gives a different row hash.
describe('Global table digest', () => {
  const p1 = new Pid(0, 7, 0);
  const p2 = new Pid(0, 8, 0);
  it('is a sum of row hashes: order-free, removable, owner-sensitive', () => {
    const ab = addRow(addRow(0, 'x', 'a@h', p1), 'y', 'b@h', p2);
    const ba = addRow(addRow(0, 'y', 'b@h', p2), 'x', 'a@h', p1);
    expect(ab).toBe(ba);
    expect(removeRow(ab, 'y', 'b@h', p2)).toBe(addRow(0, 'x', 'a@h', p1));
    expect(removeRow(removeRow(ab, 'x', 'a@h', p1), 'y', 'b@h', p2)).toBe(0);
    const h = rowHash('x', 'a@h', p1);
    expect(rowHash('x', 'b@h', p1)).not.toBe(h);
    expect(rowHash('x', 'a@h', p2)).not.toBe(h);
    expect(rowHash('x', 'a@h', new Pid(0, 7, 1))).not.toBe(h);
    expect(rowHash('z', 'a@h', p1)).not.toBe(h);
    expect(h).toBe(rowHash('x', 'a@h', new Pid(3, 7, 0))); // the node index is not part of it: the name is
  });
});
