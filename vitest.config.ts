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
    // Two test files at a time (vitest's default on 2 cores is one): most multi-node files
    // spend their time waiting on child processes and sockets, so the whole suite takes
    // about 7 minutes instead of about 10.
    maxWorkers: 2,
    env: { SWITCHBOARD_TRANSFORM_CACHE: transformCache },
  },
});
