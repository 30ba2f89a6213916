/**
 * The Erlang distribution capability flags (64 bits, as bigint) and the set this
 * implementation offers in its handshakes. Values as OTP's erts (dist.h) defines them;
 * names keep Erlang's DFLAG_ spelling so they can be looked up in OTP's documentation.
 *
 * Negotiation, as dist_util does it:
 *   1. each side sends its flags (send_name / the challenge message);
 *   2. a peer that sets MANDATORY_25_DIGEST is taken to set every OTP 25 mandatory flag;
 *   3. the peer must have every flag of kErlangMandatoryFlags, else the connection is
 *      refused (the acceptor answers 'not_allowed' first);
 *   4. what is used on the connection is the intersection (ours AND theirs).
 *
 * Why we offer what we offer: see kErlangDefaultFlags below and readme-erlproto.md.
 */

export const DFLAG_PUBLISHED = 0x1n;
export const DFLAG_ATOM_CACHE = 0x2n;
export const DFLAG_EXTENDED_REFERENCES = 0x4n;
export const DFLAG_DIST_MONITOR = 0x8n;
export const DFLAG_FUN_TAGS = 0x10n;
export const DFLAG_DIST_MONITOR_NAME = 0x20n;
export const DFLAG_HIDDEN_ATOM_CACHE = 0x40n;
export const DFLAG_NEW_FUN_TAGS = 0x80n;
export const DFLAG_EXTENDED_PIDS_PORTS = 0x100n;
export const DFLAG_EXPORT_PTR_TAG = 0x200n;
export const DFLAG_BIT_BINARIES = 0x400n;
export const DFLAG_NEW_FLOATS = 0x800n;
export const DFLAG_UNICODE_IO = 0x1000n;
export const DFLAG_DIST_HDR_ATOM_CACHE = 0x2000n;
export const DFLAG_SMALL_ATOM_TAGS = 0x4000n;
export const DFLAG_UTF8_ATOMS = 0x10000n;
export const DFLAG_MAP_TAG = 0x20000n;
export const DFLAG_BIG_CREATION = 0x40000n;
export const DFLAG_SEND_SENDER = 0x80000n;
export const DFLAG_BIG_SEQTRACE_LABELS = 0x100000n;
export const DFLAG_EXIT_PAYLOAD = 0x400000n;
export const DFLAG_FRAGMENTS = 0x800000n;
export const DFLAG_HANDSHAKE_23 = 0x1000000n;
export const DFLAG_UNLINK_ID = 0x2000000n;
export const DFLAG_MANDATORY_25_DIGEST = 0x4000000n;
export const DFLAG_SPAWN = 1n << 32n;
export const DFLAG_NAME_ME = 1n << 33n;
export const DFLAG_V4_NC = 1n << 34n;
export const DFLAG_ALIAS = 1n << 35n;

/** What OTP 25 requires of a peer (erts_internal:get_dflags() mandatory field on OTP 25). */
export const kErlangMandatory25 =
  DFLAG_EXTENDED_REFERENCES | DFLAG_FUN_TAGS | DFLAG_NEW_FUN_TAGS | DFLAG_EXTENDED_PIDS_PORTS | DFLAG_EXPORT_PTR_TAG |
  DFLAG_BIT_BINARIES | DFLAG_NEW_FLOATS | DFLAG_UTF8_ATOMS | DFLAG_MAP_TAG | DFLAG_BIG_CREATION | DFLAG_HANDSHAKE_23;

/** What OTP 26 and 27 add to the mandatory set. */
export const kErlangMandatory26 = DFLAG_V4_NC | DFLAG_UNLINK_ID;

/** What we require of a peer: OTP 25's set (an OTP 25 peer need not have OTP 26's). */
export const kErlangMandatoryFlags = kErlangMandatory25;

/**
 * What we offer by default:
 *   - every flag OTP 25, 26 and 27 require (so any of them accepts us) and
 *     MANDATORY_25_DIGEST, which says the same in one bit;
 *   - DIST_MONITOR: monitors are part of what a peer must offer to be a full node;
 *   - SMALL_ATOM_TAGS: only changes which atom tags the peer may use (the ETF decoder
 *     reads them);
 *   - DIST_HDR_ATOM_CACHE and FRAGMENTS: the framing implements both (dist-header.ts,
 *     frame-reader.ts, frame-writer.ts);
 *   - PUBLISHED unless the node is hidden (hidden: the peer lists us only in nodes(hidden)).
 * Not offered (they promise control messages the framing does not handle; the
 * control-message layer may add them): SPAWN, ALIAS, EXIT_PAYLOAD, SEND_SENDER,
 * DIST_MONITOR_NAME, UNICODE_IO, BIG_SEQTRACE_LABELS, NAME_ME.
 */
export const kErlangDefaultFlags =
  kErlangMandatory25 | kErlangMandatory26 | DFLAG_MANDATORY_25_DIGEST | DFLAG_DIST_MONITOR | DFLAG_SMALL_ATOM_TAGS |
  DFLAG_DIST_HDR_ATOM_CACHE | DFLAG_FRAGMENTS | DFLAG_PUBLISHED;

/** Step 2: MANDATORY_25_DIGEST stands for the whole OTP 25 mandatory set. */
export function expandMandatoryDigest(flags: bigint): bigint {
  return (flags & DFLAG_MANDATORY_25_DIGEST) !== 0n ? flags | kErlangMandatory25 : flags;
}

const kNames: readonly (readonly [bigint, string])[] = [
  [DFLAG_PUBLISHED, 'PUBLISHED'], [DFLAG_ATOM_CACHE, 'ATOM_CACHE'], [DFLAG_EXTENDED_REFERENCES, 'EXTENDED_REFERENCES'],
  [DFLAG_DIST_MONITOR, 'DIST_MONITOR'], [DFLAG_FUN_TAGS, 'FUN_TAGS'], [DFLAG_DIST_MONITOR_NAME, 'DIST_MONITOR_NAME'],
  [DFLAG_HIDDEN_ATOM_CACHE, 'HIDDEN_ATOM_CACHE'], [DFLAG_NEW_FUN_TAGS, 'NEW_FUN_TAGS'],
  [DFLAG_EXTENDED_PIDS_PORTS, 'EXTENDED_PIDS_PORTS'], [DFLAG_EXPORT_PTR_TAG, 'EXPORT_PTR_TAG'],
  [DFLAG_BIT_BINARIES, 'BIT_BINARIES'], [DFLAG_NEW_FLOATS, 'NEW_FLOATS'], [DFLAG_UNICODE_IO, 'UNICODE_IO'],
  [DFLAG_DIST_HDR_ATOM_CACHE, 'DIST_HDR_ATOM_CACHE'], [DFLAG_SMALL_ATOM_TAGS, 'SMALL_ATOM_TAGS'],
  [DFLAG_UTF8_ATOMS, 'UTF8_ATOMS'], [DFLAG_MAP_TAG, 'MAP_TAG'], [DFLAG_BIG_CREATION, 'BIG_CREATION'],
  [DFLAG_SEND_SENDER, 'SEND_SENDER'], [DFLAG_BIG_SEQTRACE_LABELS, 'BIG_SEQTRACE_LABELS'],
  [DFLAG_EXIT_PAYLOAD, 'EXIT_PAYLOAD'], [DFLAG_FRAGMENTS, 'FRAGMENTS'], [DFLAG_HANDSHAKE_23, 'HANDSHAKE_23'],
  [DFLAG_UNLINK_ID, 'UNLINK_ID'], [DFLAG_MANDATORY_25_DIGEST, 'MANDATORY_25_DIGEST'], [DFLAG_SPAWN, 'SPAWN'],
  [DFLAG_NAME_ME, 'NAME_ME'], [DFLAG_V4_NC, 'V4_NC'], [DFLAG_ALIAS, 'ALIAS'],
];

/** The names of the flags set in `flags` (unknown bits as hex), for messages and logs. */
export function flagNames(flags: bigint): string[] {
  const out: string[] = [];
  let rest = flags;
  for (const [bit, name] of kNames) {
    if ((flags & bit) !== 0n) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0n) out.push(`0x${rest.toString(16)}`);
  return out;
}

/** The flags of `required` that `flags` lacks. */
export function missingFlags(flags: bigint, required: bigint): bigint {
  return required & ~flags;
}
