import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that compile the generated package with tsc take a few seconds each.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
