import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { switchboardVitePlugin } from './src/compiler/vite-plugin.ts';

// Node processes and threads the tests start keep what the module hooks made of each .ts
// file here (src/compiler/transform-cache.ts), so the next one does not transpile it again.
const transformCache = fileURLToPath(new URL('./node_modules/.cache/switchboard-transform', import.meta.url));

export default defineConfig({
  // Test fixtures that start with 'use switchboard'; are instrumented with reduction counting.
  plugins: [switchboardVitePlugin()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { SWITCHBOARD_TRANSFORM_CACHE: transformCache },
  },
});
