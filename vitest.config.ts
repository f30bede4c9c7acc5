import { defineConfig } from 'vitest/config';

/** The test files that replace a module (vi.mock of node:fs or node:child_process): each runs with modules of its own. */
const MOCKING = ['test/hostile/flush.test.ts', 'test/hostile/write-failure.test.ts'];

export default defineConfig({
  test: {
    // The tests that run the binary run the build in dist/: made fresh from the sources first.
    globalSetup: ['test/global-setup.ts'],
    // Tests that compile the generated package with tsc take a few seconds each.
    testTimeout: 120_000,
    // Two files at a time on a 2-core machine (vitest's default is one fewer than the cores): many
    // test files spend their time waiting on child processes (tsc, npm, cargo, a browser, servers).
    maxWorkers: 2,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        // The other files share a worker's modules (the generator, prettier, ajv, TypeScript are loaded once per
        // worker, not once per file): none replaces a module, and each restores the globals it spies on or fakes.
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKING, isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING } },
    ],
  },
});
