/**
 * Which modules get instrumented.
 *
 * A module opts in when its first statement is the directive `'use switchboard';`, or when
 * its path matches one of the patterns (from the `SWITCHBOARD_INSTRUMENT` environment
 * variable for the loader, or the `include` option of the plugins):
 *   - `all`: every module outside `node_modules` and outside Switchboard's own source;
 *   - otherwise comma-separated globs (picomatch syntax), matched against the path relative
 *     to the working directory (POSIX separators) and against the absolute path, e.g.
 *     `SWITCHBOARD_INSTRUMENT='examples/**,**\/*.actor.ts'`.
 * Globs never select `node_modules` or Switchboard's own `src/` (scheduler code must not
 * spend reductions). The runtime module itself is never instrumented, not even with the
 * directive.
 */

import { fileURLToPath } from 'node:url';
import { isAbsolute, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { hasSwitchboardDirective as hasDirective } from './instrument.ts';

export type Include = string | readonly string[] | undefined;

export interface FilterOptions {
  /** `'all'`, a comma-separated glob list, or an array of globs. */
  include?: Include;
  /** Base for relative globs. Default `process.cwd()`. */
  cwd?: string;
  /** Directories never selected by globs (Switchboard's own source). Default: `ownSourceDir()`. */
  excludeDirs?: readonly string[];
  /** The runtime module's path; never instrumented. */
  runtimePath?: string | null;
}

/**
 * Switchboard's own source (or build) directory: `src/` when this file is
 * `src/compiler/filter.ts` (or a build that mirrors that layout, `dist/compiler/…`), else
 * the directory of the bundle this code was bundled into (e.g. `dist/`).
 */
export function ownSourceDir(): string | null {
  const here = import.meta.url;
  if (!here.startsWith('file:')) return null;
  const dir = new URL('./', here);
  return fileURLToPath(dir.pathname.endsWith('/compiler/') ? new URL('../', dir) : dir);
}

export function parseInclude(include: Include): string[] {
  if (include === undefined) return [];
  const list = typeof include === 'string' ? include.split(',') : [...include];
  return list.map((p) => p.trim()).filter((p) => p !== '');
}

function withSep(dir: string): string {
  return dir.endsWith(sep) || dir.endsWith('/') ? dir : dir + sep;
}

/** A predicate `(path, source) => boolean` deciding whether to instrument a module. */
export function createFilter(options: FilterOptions = {}): (path: string, source: string) => boolean {
  const patterns = parseInclude(options.include);
  const all = patterns.includes('all');
  const globs = patterns.filter((p) => p !== 'all');
  const match = globs.length > 0 ? picomatch(globs, { dot: true }) : null;
  const cwd = options.cwd ?? process.cwd();
  const own = options.excludeDirs ?? [ownSourceDir()].filter((d): d is string => d !== null);
  const excluded = own.map(withSep);
  const runtime = options.runtimePath ?? null;

  const byPath = (path: string): boolean => {
    if (!all && match === null) return false;
    if (/[\\/]node_modules[\\/]/.test(path)) return false;
    if (excluded.some((d) => path.startsWith(d))) return false;
    if (all) return true;
    const rel = relative(cwd, path).split(sep).join('/');
    const abs = path.split(sep).join('/');
    return match!(rel) || (isAbsolute(path) && match!(abs));
  };

  return (path: string, source: string): boolean => {
    if (runtime !== null && path === runtime) return false;
    return hasDirective(source) || byPath(path);
  };
}
