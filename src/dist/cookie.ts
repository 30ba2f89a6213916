/**
 * The cookie two nodes must share, found as Erlang finds it, so a Switchboard node and an
 * Erlang node on one machine share one by default:
 *   1. the `cookie` option — except `'erlang'`, which means step 3 at once (Erlang's own
 *      cookie file, whatever SWITCHBOARD_COOKIE says; so a cookie whose text is `erlang`
 *      cannot be given as the option: give it through the file or SWITCHBOARD_COOKIE);
 *   2. the environment variable SWITCHBOARD_COOKIE;
 *   3. the file `<home>/.erlang.cookie`: read (trailing whitespace dropped); refused if
 *      others may read or write it (Erlang refuses it too); if absent, created with 20
 *      random uppercase letters and mode 0600.
 * The cookie never leaves the node: the handshake proves knowledge of it (handshake.ts).
 */
import { randomInt } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SwitchboardError } from '../core/errors.ts';
import { registerErrorClass } from '../core/error-classes.ts';

export class BadCookieFileError extends SwitchboardError {
  readonly path: string;
  constructor(path: string, why: string) {
    super('ERR_SB_BAD_COOKIE_FILE', `cookie file ${path}: ${why}`);
    this.path = path;
  }
}
registerErrorClass('ERR_SB_BAD_COOKIE_FILE', BadCookieFileError);

export const kCookieFileName = '.erlang.cookie';
const kMaxCookieBytes = 1024;

export interface ResolveCookieOptions {
  cookie?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Steps 1-3. @throws BadCookieFileError, BadArgError */
export function resolveCookie(opts: ResolveCookieOptions = {}): string {
  const path = join(opts.home ?? homedir(), kCookieFileName);
  if (opts.cookie === kErlangCookie) return readCookieFile(path);
  if (opts.cookie !== undefined) return checkCookie(opts.cookie, 'the cookie option');
  const env = opts.env ?? process.env;
  const fromEnv = env['SWITCHBOARD_COOKIE'];
  if (fromEnv !== undefined && fromEnv !== '') return checkCookie(fromEnv, 'SWITCHBOARD_COOKIE');
  return readCookieFile(path);
}

/** The `cookie` option that means "Erlang's ~/.erlang.cookie" (step 1). */
export const kErlangCookie = 'erlang';

/** Step 3. */
function readCookieFile(path: string): string {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new BadCookieFileError(path, `cannot be read (${(e as Error).message})`);
    return createCookieFile(path);
  }
  if (!st.isFile()) throw new BadCookieFileError(path, 'is not a regular file');
  if ((st.mode & 0o077) !== 0) throw new BadCookieFileError(path, `is accessible by others (mode ${(st.mode & 0o777).toString(8)}); make it 0600 or 0400`);
  if (st.size > kMaxCookieBytes) throw new BadCookieFileError(path, `is larger than ${kMaxCookieBytes} bytes`);
  const text = readFileSync(path, 'utf8').replace(/\s+$/, '');
  if (text === '') throw new BadCookieFileError(path, 'is empty');
  return text;
}

function checkCookie(c: unknown, where: string): string {
  if (typeof c !== 'string' || c === '') throw new BadCookieFileError(where, 'the cookie must be a non-empty string');
  if (c.length > kMaxCookieBytes) throw new BadCookieFileError(where, `the cookie is longer than ${kMaxCookieBytes} characters`);
  return c;
}

/** A new cookie file, 0600, created exclusively (a racing creator's file is read instead). */
function createCookieFile(path: string): string {
  let cookie = '';
  for (let i = 0; i < 20; i++) cookie += String.fromCharCode(65 + randomInt(26));
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').replace(/\s+$/, '');
    throw new BadCookieFileError(path, `cannot be created (${(e as Error).message})`);
  }
  try {
    writeSync(fd, cookie);
  } finally {
    closeSync(fd);
  }
  return cookie;
}
