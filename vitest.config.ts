import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tests that run the binary run the build in dist/: made fresh from the sources first.
    globalSetup: ['test/global-setup.ts'],
    // Tests that compile the generated package with tsc take a few seconds each.
    testTimeout: 120_000,
    // Two files at a time on a 2-core machine (vitest's default is one fewer than the cores): many
    // test files spend their time waiting on child processes (tsc, npm, cargo, a browser, servers).
    maxWorkers: 2,
    hookTimeout: 120_000,
  },
});
