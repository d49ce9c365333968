/** Column helpers shared by every module's drizzle schema, so money and time look the same everywhere. */
import { bigint, customType, timestamp, date } from 'drizzle-orm/pg-core';

/** An amount in minor units (fen). BIGINT in SQL, bigint in TypeScript. */
export const amountMinor = (name: string) => bigint(name, { mode: 'bigint' });

/** A timestamp with time zone, mapped to Date. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A business date 'YYYY-MM-DD'. */
export const businessDate = (name: string) => date(name, { mode: 'string' });

export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
  toDriver: (value) => value,
});
