/**
 * Business dates: calendar days 'YYYY-MM-DD' in the Asia/Shanghai business calendar, kept apart from
 * timestamps. Arithmetic is done on day numbers since 1970-01-01 so no time zone ever leaks in.
 */
import { AppError } from './errors';

declare const businessDateBrand: unique symbol;
export type BusinessDate = string & { readonly [businessDateBrand]: true };

export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';
const MS_PER_DAY = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

export function isBusinessDate(text: string): text is BusinessDate {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1900 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function parseBusinessDate(text: string): BusinessDate {
  if (!isBusinessDate(text)) throw new AppError('INVALID_DATE', { value: text });
  return text;
}

function parts(date: BusinessDate): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function fromParts(year: number, month: number, day: number): BusinessDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as BusinessDate;
}

/** Days since 1970-01-01 (UTC calendar arithmetic; a business date has no time zone of its own). */
export function toDayNumber(date: BusinessDate): number {
  const [y, m, d] = parts(date);
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

export function fromDayNumber(dayNumber: number): BusinessDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return fromParts(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * Adds calendar months; a day that does not exist in the target month is clamped to its last day
 * (2024-01-31 + 1 month = 2024-02-29). `anchorDay` keeps month-end schedules on the month end.
 */
export function addMonths(date: BusinessDate, months: number, anchorDay?: number): BusinessDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(anchorDay ?? d, daysInMonth(year, month));
  return fromParts(year, month, day);
}

export function endOfMonth(date: BusinessDate): BusinessDate {
  const [y, m] = parts(date);
  return fromParts(y, m, daysInMonth(y, m));
}

export function isEndOfMonth(date: BusinessDate): boolean {
  return endOfMonth(date) === date;
}

export function compareDates(a: BusinessDate, b: BusinessDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a <= b ? a : b;
}

export function maxDate(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a >= b ? a : b;
}

/** The calendar date in Asia/Shanghai at instant `now`. */
export function shanghaiDate(now: Date): BusinessDate {
  // Read the fields with formatToParts: the layout of a formatted string is locale data that changes between
  // ICU versions (en-CA became "M/d/yyyy" in ICU 72), whereas the numeric field values do not.
  const fields = new Intl.DateTimeFormat('en-US', {
    timeZone: BUSINESS_TIME_ZONE,
    calendar: 'gregory',
    numberingSystem: 'latn',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const field = (type: 'year' | 'month' | 'day'): string => fields.find((part) => part.type === type)?.value ?? '';
  return parseBusinessDate(`${field('year').padStart(4, '0')}-${field('month')}-${field('day')}`);
}

/** Days in the year of `date` (365 or 366), for ACT/ACT style conventions. */
export function daysInYear(date: BusinessDate): number {
  return isLeapYear(parts(date)[0]) ? 366 : 365;
}
