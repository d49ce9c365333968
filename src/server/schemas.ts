/** Answer shapes of the system routes (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { businessDateSchema, currencySchema, oneOf } from '../kernel/http';

const databaseSchema = z.enum(['pglite', 'postgres']);

export const healthSchema = z.object({
  status: oneOf(['ok']),
  database: databaseSchema,
  businessDate: businessDateSchema,
});

export const systemInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  database: databaseSchema,
  demo: z.boolean(),
  /** The currencies the platform keeps, with their minor-unit digits. */
  currencies: z.array(z.object({ code: currencySchema, scale: z.number().int() })),
  /** Demo mode only: the demo accounts' password and the accounts the login page lists. */
  demoPassword: z.string().optional(),
  demoUsers: z.array(z.object({ username: z.string(), displayName: z.string() })).optional(),
});
