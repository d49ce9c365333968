import { defineConfig } from 'vitest/config';
import { SuiteOrder } from './tests/support/e2e-sequencer';

/**
 * Projects:
 *   unit          pure functions beside the code (src/**\/*.test.ts)
 *   int-pglite    integration suite on embedded PGlite
 *   int-postgres  the same suite on a PostgreSQL cluster the harness starts itself
 *   e2e           the built app in Debian's Chromium through Playwright
 * `npm test` (scripts/test.mjs) runs them all.
 */
/** `*.pg.test.ts` files need a real PostgreSQL server (two app instances, many connections): int-postgres only. */
const integration = {
  include: ['tests/integration/**/*.test.ts'],
  setupFiles: ['tests/support/modules.ts'],
  testTimeout: 60_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  test: {
    reporters: ['default'],
    // the browser files share one demo server: a fixed order, end-of-day walks last (tests/support/e2e-sequencer.ts)
    sequence: { sequencer: SuiteOrder },
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'int-pglite',
          ...integration,
          exclude: ['tests/integration/**/*.pg.test.ts'],
          env: { TEST_DB: 'pglite' },
          globalSetup: ['tests/support/global-pglite.ts'],
        },
      },
      { test: { name: 'int-postgres', ...integration, env: { TEST_DB: 'postgres' }, globalSetup: ['tests/support/global-postgres.ts'] } },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ['tests/support/global-e2e.ts'],
        },
      },
    ],
  },
});
