/**
 * The ETF classes are sendable between Switchboard threads and nodes (the native codec,
 * src/codec/, and the local copy, core/copy.ts): a term received from an Erlang node can
 * be forwarded like any message. Each is registered with core/class-registry.ts under a
 * fixed wire name and travels as its own enumerable fields:
 *
 *   class          wire name          fields                              on arrival
 *   Atom           'etf.Atom'         name                                Atom.of(name): the receiving
 *                                                                         thread's one instance (=== holds)
 *   Tuple          'etf.Tuple'        elements                            a Tuple
 *   ImproperList   'etf.ImproperList' items, tail                         an ImproperList
 *   BitBinary      'etf.BitBinary'    bytes, bitLength                    a BitBinary
 *   Charlist       'etf.Charlist'     text                                a Charlist
 *   ErlFloat       'etf.ErlFloat'     value                               an ErlFloat
 *   ErlPid/Ref/Port 'etf.ErlPid' ... node (an Atom), numbers / ids / id   by value, as sent
 *   ErlExportFun   'etf.ErlExportFun' module, fun, arity                  as sent
 *   ErlClosure     'etf.ErlClosure'   its parts                           as sent
 *
 * Registered when this module loads: src/codec/decoder.ts and the ETF index import it,
 * so every thread that decodes a message, or uses the ETF classes, knows the names. An Atom whose name is not a string, or is too
 * long, is refused as malformed.
 */
import { registerClass } from '../../core/class-registry.ts';
import { BadArgError } from '../../core/errors.ts';
import { Atom } from './atom.ts';
import { ErlClosure, ErlExportFun } from './funs.ts';
import { ErlPid, ErlPort, ErlRef } from './identifiers.ts';
import { BitBinary, Charlist, ErlFloat, ImproperList, Tuple } from './terms.ts';

/** The wire names, in the table's order. */
export const kEtfClassNames: readonly string[] = [
  'etf.Atom', 'etf.Tuple', 'etf.ImproperList', 'etf.BitBinary', 'etf.Charlist', 'etf.ErlFloat', 'etf.ErlPid', 'etf.ErlRef', 'etf.ErlPort',
  'etf.ErlExportFun', 'etf.ErlClosure',
];

registerClass(Atom as never, 'etf.Atom', (rebuilt) => {
  const name = rebuilt['name'];
  if (typeof name !== 'string') throw new BadArgError('an Atom needs a string name');
  return Atom.of(name);
});
registerClass(Tuple, 'etf.Tuple');
registerClass(ImproperList, 'etf.ImproperList');
registerClass(BitBinary, 'etf.BitBinary');
registerClass(Charlist, 'etf.Charlist');
registerClass(ErlFloat, 'etf.ErlFloat');
registerClass(ErlPid, 'etf.ErlPid');
registerClass(ErlRef, 'etf.ErlRef');
registerClass(ErlPort, 'etf.ErlPort');
registerClass(ErlExportFun, 'etf.ErlExportFun');
registerClass(ErlClosure, 'etf.ErlClosure');
