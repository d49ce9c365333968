/**
 * The money kernel's rules in SQL, for hot statements that read an amount in the currency of a row they look up
 * (kernel/money.ts is the specification; tests/integration/money-sql.test.ts compares the two).
 */
import { sql, type SQL } from 'drizzle-orm';
import { CURRENCY_SCALE } from './money';

/** The number of decimals of `currency` (an SQL expression of a currency code); NULL for a code the platform does not keep. */
export function currencyScaleSql(currency: SQL): SQL {
  return sql`(case ${currency} ${sql.raw(
    Object.entries(CURRENCY_SCALE)
      .map(([code, digits]) => `when '${code}' then ${digits}`)
      .join(' '),
  )} end)`;
}

/**
 * A decimal amount (text, "1234.56") as minor units of `currency`, as NUMERIC: an amount with more decimals than the
 * currency has comes out fractional (`minorUnitsValidSql` refuses it: never a silent rounding).
 */
export function amountMinorSql(amount: SQL, currency: SQL): SQL {
  return sql`(${amount}::numeric * 10::numeric ^ ${currencyScaleSql(currency)})`;
}

/** True when a NUMERIC amount of minor units is a positive whole number. */
export function minorUnitsValidSql(minor: SQL): SQL {
  return sql`(${minor} > 0 and ${minor} = trunc(${minor}))`;
}
