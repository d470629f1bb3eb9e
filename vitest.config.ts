import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most suites wait on sockets, PostgreSQL, child processes or Chromium rather than on the CPU: four
    // workers on the two cores of CI finish the suite in less than half the time of the default one.
    maxWorkers: 4,
  },
});
