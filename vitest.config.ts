import { defineConfig } from 'vitest/config';
import { switchboardVitePlugin } from './src/compiler/vite-plugin.ts';

export default defineConfig({
  // Test fixtures that start with 'use switchboard'; are instrumented with reduction counting.
  plugins: [switchboardVitePlugin()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
