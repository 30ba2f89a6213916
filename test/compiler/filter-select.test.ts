import { describe, expect, it } from 'vitest';
import { createFilter, hasSwitchboardDirective } from '../../src/compiler/index.ts';

// Which modules opt in: the directive, globs relative to cwd or absolute, or `all`.
describe('createFilter', () => {
  const cwd = '/app';
  const own = ['/app/node_modules/switchboard/src/'];
  const plain = 'export const x = 1;';

  it('selects modules whose first statement is the directive', () => {
    const f = createFilter({ cwd, excludeDirs: own });
    expect(f('/app/a.ts', `'use switchboard';\nexport {};`)).toBe(true);
    expect(f('/app/a.ts', `#!/usr/bin/env node\n// comment\n/* block */\n"use switchboard"\nexport {};`)).toBe(true);
    expect(f('/app/a.ts', plain)).toBe(false);
    expect(f('/app/a.ts', `import x from 'y';\n'use switchboard';`)).toBe(false);
    expect(f('/app/a.ts', `'use switchboard'.length;`)).toBe(false);
    expect(f('/app/a.ts', `'use switchboardx';`)).toBe(false);
  });

  it('matches comma-separated globs against relative and absolute paths', () => {
    const f = createFilter({ cwd, include: 'actors/**/*.ts, /abs/*.ts', excludeDirs: own });
    expect(f('/app/actors/x/ping.ts', plain)).toBe(true);
    expect(f('/app/other/ping.ts', plain)).toBe(false);
    expect(f('/abs/a.ts', plain)).toBe(true);
    expect(f('/app/node_modules/actors/a.ts', plain)).toBe(false);
  });

  it('`all` selects everything outside node_modules and Switchboard src', () => {
    const f = createFilter({ cwd, include: 'all', excludeDirs: ['/sb/src'] });
    expect(f('/app/a.ts', plain)).toBe(true);
    expect(f('/app/node_modules/lib/index.js', plain)).toBe(false);
    expect(f('/sb/src/core/scheduler.ts', plain)).toBe(false);
    expect(f('/sb/srcfoo/a.ts', plain)).toBe(true);
  });

  it('never selects the runtime module, not even with the directive', () => {
    const f = createFilter({ cwd, include: 'all', excludeDirs: [], runtimePath: '/rt/reductions.ts' });
    expect(f('/rt/reductions.ts', `'use switchboard';`)).toBe(false);
  });

  it('exports the directive test on its own', () => {
    expect(hasSwitchboardDirective(`\n\n  'use switchboard'; // why\n`)).toBe(true);
    expect(hasSwitchboardDirective(`const a = 'use switchboard';`)).toBe(false);
  });
});
