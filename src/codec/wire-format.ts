/**
 * Wire format of the message codec: the tags and what follows each. A message is one
 * value; a value is a tag byte and what the tag says follows. Numbers inside tags are
 * little-endian; `varuint` is LEB128 (7 bits a byte, low group first, high bit = "more"),
 * up to 2^53, and may be padded with 0x80 bytes (the encoder pads the UTF-8 length it
 * writes before knowing it).
 *
 *   tag        name          followed by
 *   0x00       END           -            (closes OBJECT, ERROR and INSTANCE field lists)
 *   0x01       UNDEFINED     -            (also what an array hole becomes)
 *   0x02       NULL          -
 *   0x03/0x04  FALSE/TRUE    -
 *   0x05       INT8          i8
 *   0x06       INT32         i32
 *   0x07       FLOAT64       f64          (every other number, -0, NaN, ±Infinity)
 *   0x08       BIGINT64      i64          (a bigint in [-2^63, 2^63))
 *   0x09       BIGINT        u8 sign (0 = +, 1 = -), varuint n, n magnitude bytes, low first
 *   0x0A       LATIN1        varuint n, n bytes (chars U+0000..U+00FF)
 *   0x0B       UTF8          varuint n, n bytes of UTF-8
 *   0x0C       UTF16         varuint n, n u16 code units (only strings with lone surrogates)
 *   0x0D       ARRAY         varuint n, n values
 *   0x0E       OBJECT        (string key, value)*, END
 *   0x0F       MAP           varuint n, n (key value, value) pairs
 *   0x10       SET           varuint n, n values
 *   0x11       DATE          f64 time value
 *   0x12       REGEXP        string source, string flags
 *   0x13       ARRAYBUFFER   varuint n, n bytes
 *   0x14       VIEW          u8 kind (kViewKinds), varuint n, n bytes
 *   0x15       PID           node, number id, number serial
 *   0x16       REF           node, number sched, number n
 *   0x17       ERROR         string class, value name, value message, value stack,
 *                            u8 flags (1: cause, 2: errors, 4: class is an error code),
 *                            [value cause], [value errors], (string key, value)*, END
 *   0x18       INSTANCE      string class, (string key, value)*, END
 *   0x19       V8            varuint n, n bytes of v8.serialize (boxed primitives)
 *   0x1A       NULLOBJECT    (string key, value)*, END  (an object with a null prototype)
 *   0x40-0x5F  FIXLATIN1     (tag & 0x1F) bytes: a Latin-1 string of 0..31 chars
 *   0x80-0xFF  FIXINT        the integer tag & 0x7F (0..127)
 *
 * `node` in PID and REF is one value: by default the number of the node in the sender's
 * node table (0 = the sender's own node; threads of one node share the numbering), or
 * what the encoder's `encodeNode` hook made of it (a transport between nodes sends a name
 * and creation; the decoder's `decodeNode` hook turns it back into a local index).
 *
 * ERROR's class string, by flags: with bit 4 an error code of the error-class table
 * (core/error-classes.ts), else a name of the class registry, or '' for "the built-in
 * Error class of that name".
 *
 * Two examples, byte by byte:
 *
 *   { to: <0.7.1>, n: 300 }
 *   +----+----+----+----+----+----+----+----+----+----+----+----+----+----+----+
 *   | 0E | 42 | 't'| 'o'| 15 | 80 | 87 | 81 | 41 | 'n'| 06 | 2C   01   00   00 | 00 |
 *   +----+----+----+----+----+----+----+----+----+----+----+-------------------+----+
 *   OBJECT  FIXLATIN1(2)  PID  0    7    1   FIXLATIN1(1) INT32 300        END
 *
 *   new NoProcError(pid)            (code ERR_SB_NOPROC is in the error-class table)
 *   +----+----------------------+-------+---------+-------+----+------------------+----+
 *   | 17 | "ERR_SB_NOPROC"      | name  | message | stack | 04 | name, code,      | 00 |
 *   |    | (FIXLATIN1 string)   | value | value   | value |    | target fields    |    |
 *   +----+----------------------+-------+---------+-------+----+------------------+----+
 *   ERROR  class = a code        ...                       flags  own fields       END
 */

export const kEnd = 0x00;
export const kUndefined = 0x01;
export const kNull = 0x02;
export const kFalse = 0x03;
export const kTrue = 0x04;
export const kInt8 = 0x05;
export const kInt32 = 0x06;
export const kFloat64 = 0x07;
export const kBigInt64 = 0x08;
export const kBigInt = 0x09;
export const kLatin1 = 0x0a;
export const kUtf8 = 0x0b;
export const kUtf16 = 0x0c;
export const kArray = 0x0d;
export const kObject = 0x0e;
export const kMap = 0x0f;
export const kSet = 0x10;
export const kDate = 0x11;
export const kRegExp = 0x12;
export const kArrayBuffer = 0x13;
export const kView = 0x14;
export const kPid = 0x15;
export const kRef = 0x16;
export const kError = 0x17;
export const kInstance = 0x18;
export const kV8 = 0x19;
export const kNullObject = 0x1a;
export const kFixLatin1 = 0x40; // 0x40 | length, length 0..31
export const kFixLatin1Max = 31;
export const kFixInt = 0x80; // 0x80 | value, value 0..127

// ERROR flags.
export const kErrorHasCause = 1;
export const kErrorHasErrors = 2;
export const kErrorClassIsCode = 4;

/** VIEW kinds: index = kind byte. */
export const kViewKinds = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'DataView',
  'Buffer',
] as const;
export type ViewKindName = (typeof kViewKinds)[number];
export const kViewKindByName = new Map<string, number>(kViewKinds.map((name, i) => [name, i]));
