import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BadCookieFileError, resolveCookie } from '../../src/dist/cookie.ts';

// The cookie: the option (the option 'erlang': the file at once), else SWITCHBOARD_COOKIE,
// else ~/.erlang.cookie (the file Erlang uses, so both runtimes share it), created 0600 with
// 20 uppercase letters.

const homes: string[] = [];
const home = (): string => {
  const h = mkdtempSync(join(tmpdir(), 'sb-cookie-'));
  homes.push(h);
  return h;
};
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

describe('resolveCookie', () => {
  it('takes the option first, then the environment', () => {
    expect(resolveCookie({ cookie: 'x', env: { SWITCHBOARD_COOKIE: 'y' }, home: home() })).toBe('x');
    expect(resolveCookie({ env: { SWITCHBOARD_COOKIE: 'y' }, home: home() })).toBe('y');
  });

  it("cookie: 'erlang' reads Erlang's ~/.erlang.cookie even when SWITCHBOARD_COOKIE is set", () => {
    const h = home();
    writeFileSync(join(h, '.erlang.cookie'), 'SHAREDWITHERL\n', { mode: 0o600 });
    expect(resolveCookie({ cookie: 'erlang', env: { SWITCHBOARD_COOKIE: 'y' }, home: h })).toBe('SHAREDWITHERL');
    // Absent: created, as erl would create it.
    expect(resolveCookie({ cookie: 'erlang', env: { SWITCHBOARD_COOKIE: 'y' }, home: home() })).toMatch(/^[A-Z]{20}$/);
  });

  it('creates ~/.erlang.cookie with mode 0600 when absent, and reads it back', () => {
    const h = home();
    const c = resolveCookie({ env: {}, home: h });
    expect(c).toMatch(/^[A-Z]{20}$/);
    const path = join(h, '.erlang.cookie');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(c);
    expect(resolveCookie({ env: {}, home: h })).toBe(c);
  });

  it('reads an existing file without its trailing newline, and refuses one others can read', () => {
    const h = home();
    const path = join(h, '.erlang.cookie');
    writeFileSync(path, 'ERLANGCOOKIE\n', { mode: 0o400 });
    expect(resolveCookie({ env: {}, home: h })).toBe('ERLANGCOOKIE');
    chmodSync(path, 0o644);
    expect(() => resolveCookie({ env: {}, home: h })).toThrow(new BadCookieFileError(path, 'is accessible by others (mode 644); make it 0600 or 0400'));
  });
});
