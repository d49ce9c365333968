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
 * A decimal amount (text, "1234.56") as minor units of `currency`, as NUMERIC. Check it with `amountValidSql` first:
 * an amount written with more decimals than the currency has is refused, as parseAmountMinor refuses it (never a
 * silent rounding — and "1.0" yen is refused too: the kernel is the specification).
 */
export function amountMinorSql(amount: SQL, currency: SQL): SQL {
  // NULL for text that is not a decimal number (never a cast error that would fail the statement's other rows)
  return sql`(case when ${amount} ~ '^[0-9]{1,18}([.][0-9]+)?$' then ${amount}::numeric * 10::numeric ^ ${currencyScaleSql(currency)} end)`;
}

/**
 * True when `amount` (text) is a positive amount of `currency` as parseAmountMinor reads it: digits, at most as many
 * decimals as the currency has, more than zero; false otherwise (also for a currency the platform does not keep).
 */
export function amountValidSql(amount: SQL, currency: SQL): SQL {
  // CASE, not AND: SQL does not promise to test the pattern before it casts the text
  return sql`(case when coalesce(${amount} ~ '^[0-9]{1,18}([.][0-9]+)?$', false)
                    and coalesce(length(substring(${amount} from '[.]([0-9]+)$')), 0) <= coalesce(${currencyScaleSql(currency)}, -1)
               then ${amount}::numeric > 0 else false end)`;
}

/**
 * Minor units (an SQL integer expression) as the decimal text `formatAmount` writes ("1234.56", JPY "1234"), for a
 * statement that writes an amount into a notice's parameters or an answer. NULL for a currency the platform does not keep.
 */
export function amountTextSql(minor: SQL, currency: SQL): SQL {
  return sql`(round((${minor})::numeric / 10::numeric ^ ${currencyScaleSql(currency)}, ${currencyScaleSql(currency)}))::text`;
}
