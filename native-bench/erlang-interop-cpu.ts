/**
 * CPU cost per message of the Erlang bridge's two per-message paths, without sockets (so a
 * loaded machine shifts it less than the wall-clock figures of erlang-interop.ts):
 *
 *   node scripts/run-ts.mjs native-bench/erlang-interop-cpu.ts [messages=100000]
 *
 *   inbound   ErlangDispatch.dispatch of one SEND {m, <<100 bytes>>} to a pid of ours, from
 *             a view of a SharedArrayBuffer (as the I/O ring hands it over), header atoms
 *             '' and m; the delivery is a counter
 *   outbound  ErlangOpEncoder.encode of the op [send, ErlangPid, {m, <<100 bytes>>}]
 * Each: 7 rounds of `messages`, process.cpuUsage (user + system) per message, min / median
 * / max in ns. Compare trees A/B, alternating, in one sitting.
 */
import { Atom, EtfEncoder, Tuple } from '../src/codec/etf/index.ts';
import { kOpSend } from '../src/codec/dist-ops.ts';
import { nodeTable } from '../src/core/node-table.ts';
import { Pid } from '../src/core/pid.ts';
import { ErlangDispatch } from '../src/dist/erlang-peer/erlang-dispatch.ts';
import { ErlangOpEncoder } from '../src/dist/erlang-peer/erlang-op-encoder.ts';
import { ErlangPeerState } from '../src/dist/erlang-peer/erlang-peer-state.ts';
import { packInbound } from '../src/dist/erlang-peer/erlang-payload.ts';
import { pidToErl } from '../src/dist/erlang-peer/term-mapping.ts';

const N = Number(process.argv[2] ?? 100_000);

function rounds(f: () => void): string {
  const res: number[] = [];
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) f();
    const c = process.cpuUsage(c0);
    res.push(((c.user + c.system) * 1000) / N);
  }
  res.sort((a, b) => a - b);
  return `${res[0]!.toFixed(0)} / ${res[3]!.toFixed(0)} / ${res[6]!.toFixed(0)}`;
}

const idx = nodeTable.intern('e@127.0.0.1', 7);
const peer = new ErlangPeerState('e@127.0.0.1', idx, 0);
const bin = new Uint8Array(100).fill(1);

let delivered = 0;
const inbound = { deliverTo: () => (delivered++, true) } as never;
const d = new ErlangDispatch(inbound, { whereis: () => undefined }, () => {});
const enc = new EtfEncoder();
const frame = packInbound(['', 'm'], enc.encodeTerm(Tuple.of(2, Atom.of(''), pidToErl(new Pid(0, 5, 0)))), enc.encodeTerm(Tuple.of(Atom.of('m'), bin)));
const ring = new Uint8Array(new SharedArrayBuffer(1 << 16));
ring.set(frame);
const view = ring.subarray(0, frame.length);
const inboundNs = rounds(() => d.dispatch(peer, view));

const oe = new ErlangOpEncoder();
const op = [kOpSend, new Pid(idx, 90, 0), Tuple.of(Atom.of('m'), bin)];
let bytes = 0;
const outboundNs = rounds(() => void (bytes += oe.encode(peer, op)!.length));

if (delivered !== 7 * N || bytes === 0) throw new Error('erlang-interop-cpu: the paths did not run');
console.log(`erlang-interop-cpu: ${N} messages x 7 rounds, cpu ns per message min / median / max`);
console.log(`inbound  (dispatch, SEND {m, <<100>>})   ${inboundNs}`);
console.log(`outbound (encode, send {m, <<100>>})     ${outboundNs}`);
