import { describe, expect, it } from 'vitest';
import { switchboard } from './fixtures/cli-process.ts';

// --app: the module is imported once the node runs (a TypeScript module, through the
// hooks) and its exported start(node) is awaited before the node says it is ready.

describe('switchboard node --app', () => {
  it("runs the module's start(node) before `listening`, and the node still stops cleanly", async () => {
    const p = switchboard(['node', '--app', 'test/cli/fixtures/node-app.ts']);
    await p.line('node nonode@nohost listening');
    expect(p.lines).toEqual(['app started: echo answered up?', 'node nonode@nohost listening']);
    p.signal('SIGTERM');
    expect(await p.exit()).toEqual({ code: 0, signal: null });
    expect(p.lines.at(-1)).toBe('node nonode@nohost stopped');
  });

  it('a module that fails to load: the error on stderr, exit 1, no `listening`', async () => {
    const p = switchboard(['node', '--app', 'test/cli/fixtures/no-such-app.ts']);
    expect(await p.exit()).toEqual({ code: 1, signal: null });
    expect(p.stderr).toMatch(/^switchboard node: .*no-such-app\.ts/m);
    expect(p.lines).toEqual([]);
  });
});
