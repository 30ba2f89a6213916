/**
 * The tags of the Erlang External Term Format (erts/doc: "External Term Format"), as the
 * one table the ETF encoder and decoder share. A term on the wire is the version byte
 * (kVersion) and then one tagged value; after a distribution header the version byte is
 * left out and the tagged values follow one another.
 *
 * Numbers are the ones the format defines; the comment says how this codec treats each.
 */

/** The version byte in front of every term_to_binary result. */
export const kVersion = 131;

/** 131,80: UncompressedSize (u32) and a zlib stream of the tagged value. Decoded; encoded on request. */
export const kCompressed = 80;

/** Index into the per-connection atom cache table of the distribution header. Decoded only. */
export const kAtomCacheRef = 82;

export const kSmallInteger = 97; // u8
export const kInteger = 98; //       i32 big-endian
export const kFloatOld = 99; //      31 bytes of "%.20e" text: decoded only (minor_version 0)
export const kNewFloat = 70; //      IEEE 754 double, big-endian
export const kSmallBig = 110; //     n (u8), sign (u8), n digits little-endian
export const kLargeBig = 111; //     n (u32), sign (u8), n digits little-endian

export const kAtomOld = 100; //          u16 length + Latin-1: decoded only
export const kSmallAtomOld = 115; //     u8 length + Latin-1: decoded only
export const kAtomUtf8 = 118; //         u16 length + UTF-8
export const kSmallAtomUtf8 = 119; //    u8 length + UTF-8

export const kSmallTuple = 104; // arity u8
export const kLargeTuple = 105; // arity u32
export const kMap = 116; //        pairs u32, then K1 V1 K2 V2 ...
export const kNil = 106; //        []
export const kString = 107; //     u16 length + bytes: a list of small integers
export const kList = 108; //       u32 length, elements, tail
export const kBinary = 109; //     u32 length + bytes
export const kBitBinary = 77; //   u32 length, bits used in the last byte (1..8), bytes

export const kPidOld = 103; //        node, id u32, serial u32, creation u8: decoded only
export const kNewPid = 88; //         node, id u32, serial u32, creation u32
export const kReferenceOld = 101; //  node, id u32, creation u8: decoded only
export const kNewReference = 114; //  len u16, node, creation u8, len x u32: decoded only
export const kNewerReference = 90; // len u16, node, creation u32, len x u32
export const kPortOld = 102; //       node, id u32, creation u8: decoded only
export const kNewPort = 89; //        node, id u32, creation u32
export const kV4Port = 120; //        node, id u64, creation u32

export const kExport = 113; // fun M:F/A: module atom, function atom, arity (small integer)
export const kNewFun = 112; // a closure: size u32, arity, uniq[16], index, numFree, module, oldIndex, oldUniq, pid, free vars
export const kFunOld = 117; // the pre-R8 closure format (removed in OTP 23): refused
export const kLocal = 121; //  LOCAL_EXT (OTP 26): node-local encoding, meaningless elsewhere: refused
