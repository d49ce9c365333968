import { defineConfig } from 'drizzle-kit';

/** `npm run db:generate` diffs the module schemas against migrations/ and writes the next migration. */
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/modules/*/schema.ts', './src/server/schema.ts'],
  out: './migrations',
  strict: true,
});
