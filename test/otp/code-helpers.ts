/**
 * Helpers for the hot code reload tests: a module whose file is rewritten between loads,
 * as a release upgrade rewrites a module's file before `code:load_file`.
 *
 * `new ModuleDir()` makes a temp directory next to test/otp/fixtures/code-counter/ (same
 * depth, so the fixtures' relative imports of src/ still resolve); `write(name, fixture)`
 * copies a fixture file (or a source string) to `<dir>/<name>` and returns its URL.
 * `remove()` deletes the directory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

export class ModuleDir {
  readonly dir: string;
  constructor() {
    this.dir = mkdtempSync(join(fixtures, 'code-tmp-'));
  }

  /** Write `fixture` (a path under test/otp/fixtures/, or `{ source }`) as module `name`. */
  write(name: string, fixture: string | { source: string }): string {
    const text = typeof fixture === 'string' ? readFileSync(join(fixtures, fixture), 'utf8') : fixture.source;
    writeFileSync(join(this.dir, name), text);
    return this.url(name);
  }

  url(name: string): string {
    return pathToFileURL(join(this.dir, name)).href;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Poll `cond` on the event loop (not on a scheduler clock) until true, or fail. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
