import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BUSINESS_TIME_ZONE,
  addDays,
  addMonths,
  compareDates,
  daysBetween,
  daysInMonth,
  daysInYear,
  endOfMonth,
  fromDayNumber,
  isBusinessDate,
  isEndOfMonth,
  isLeapYear,
  maxDate,
  minDate,
  parseBusinessDate,
  shanghaiDate,
  toDayNumber,
  type BusinessDate,
} from './dates';
import { AppError } from './errors';

const d = (text: string): BusinessDate => parseBusinessDate(text);

/** Any valid business date between 1900-01-01 and 2999-12-31. */
const businessDate = fc.integer({ min: toDayNumber(d('1900-01-01')), max: toDayNumber(d('2999-12-31')) }).map(fromDayNumber);

describe('leap years and month lengths', () => {
  it.each([
    [2024, true],
    [2023, false],
    [2000, true], // divisible by 400
    [1900, false], // century, not divisible by 400
    [2100, false],
    [2400, true],
  ])('%i is a leap year: %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });

  it('February has 29 days only in leap years; the other months are fixed', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
  });
});

describe('isBusinessDate / parseBusinessDate: strict YYYY-MM-DD calendar days', () => {
  it.each(['2024-02-29', '2000-02-29', '2023-02-28', '2024-01-01', '2024-12-31', '2024-04-30', '1900-01-01', '2999-12-31'])(
    '%s is a valid business date',
    (text) => {
      expect(isBusinessDate(text)).toBe(true);
      expect(parseBusinessDate(text)).toBe(text);
    },
  );

  it.each([
    ['2023-02-29', 'Feb 29 in a non-leap year'],
    ['1900-02-29', 'Feb 29 in a century non-leap year'],
    ['2024-02-30', 'Feb 30'],
    ['2024-04-31', 'Apr 31'],
    ['2024-13-01', 'month 13'],
    ['2024-00-10', 'month 0'],
    ['2024-01-00', 'day 0'],
    ['2024-01-32', 'day 32'],
    ['1899-12-31', 'before 1900'],
    ['3000-01-01', 'after 2999'],
    ['2024-1-01', 'one-digit month'],
    ['2024-01-1', 'one-digit day'],
    ['20240101', 'no separators'],
    ['2024/01/01', 'slashes'],
    ['2024-01-01T00:00:00Z', 'a timestamp'],
    [' 2024-01-01', 'leading space'],
    ['2024-01-01 ', 'trailing space'],
    ['24-01-01', 'two-digit year'],
    ['', 'empty'],
    ['２０２４-01-01', 'full-width digits'],
  ])('%j is rejected (%s) with INVALID_DATE', (text) => {
    expect(isBusinessDate(text)).toBe(false);
    let error: unknown;
    try {
      parseBusinessDate(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INVALID_DATE');
    expect((error as AppError).details).toEqual({ value: text });
  });
});

describe('day numbers', () => {
  it('counts days from 1970-01-01', () => {
    expect(toDayNumber(d('1970-01-01'))).toBe(0);
    expect(toDayNumber(d('1970-01-02'))).toBe(1);
    expect(toDayNumber(d('1969-12-31'))).toBe(-1);
    expect(toDayNumber(d('2000-01-01'))).toBe(10957);
    expect(fromDayNumber(0)).toBe('1970-01-01');
    expect(fromDayNumber(10957)).toBe('2000-01-01');
    expect(fromDayNumber(-25567)).toBe('1900-01-01');
  });

  it('round-trips every business date', () => {
    fc.assert(
      fc.property(businessDate, (date) => {
        expect(isBusinessDate(date)).toBe(true);
        expect(fromDayNumber(toDayNumber(date))).toBe(date);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('addDays: calendar arithmetic across month, year and leap boundaries', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2023-03-01', -1, '2023-02-28'],
    ['2024-01-01', 90, '2024-03-31'],
    ['2023-01-01', 90, '2023-04-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2023-01-01', 365, '2024-01-01'],
    ['2024-06-15', 0, '2024-06-15'],
    ['1900-02-28', 1, '1900-03-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['2026-11-28', 180, '2027-05-27'],
  ])('%s %+d days is %s', (from, days, expected) => {
    expect(addDays(d(from), days)).toBe(expected);
  });

  it('is unaffected by daylight-saving changes in the process time zone', () => {
    vi.stubEnv('TZ', 'America/New_York');
    try {
      // US DST starts 2024-03-10 and ends 2024-11-03.
      expect(addDays(d('2024-03-09'), 1)).toBe('2024-03-10');
      expect(addDays(d('2024-03-10'), 1)).toBe('2024-03-11');
      expect(addDays(d('2024-11-02'), 2)).toBe('2024-11-04');
      expect(daysBetween(d('2024-03-01'), d('2024-04-01'))).toBe(31);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('adding n days then subtracting n days returns the same date', () => {
    fc.assert(
      fc.property(businessDate, fc.integer({ min: -20000, max: 20000 }), (date, n) => {
        const moved = addDays(date, n);
        expect(addDays(moved, -n)).toBe(date);
        expect(daysBetween(date, moved)).toBe(n);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('daysBetween: whole days, positive when the second date is later', () => {
  it.each([
    ['2024-01-01', '2024-01-01', 0],
    ['2024-01-01', '2024-01-02', 1],
    ['2024-01-02', '2024-01-01', -1],
    ['2024-02-28', '2024-03-01', 2],
    ['2023-02-28', '2023-03-01', 1],
    ['2024-01-01', '2024-12-31', 365],
    ['2024-01-01', '2025-01-01', 366],
    ['2023-01-01', '2024-01-01', 365],
    ['2025-01-01', '2024-01-01', -366],
    ['2026-01-15', '2026-04-15', 90], // a 90-day financing tenor
    ['2024-12-31', '2025-01-01', 1],
    ['1900-01-01', '2000-01-01', 36524],
  ])('%s → %s is %i days', (from, to, expected) => {
    expect(daysBetween(d(from), d(to))).toBe(expected);
  });
});

describe('addMonths: calendar months with month-end clamping', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'], // leap year: clamp to the 29th
    ['2023-01-31', 1, '2023-02-28'], // common year: clamp to the 28th
    ['2024-01-15', 1, '2024-02-15'],
    ['2024-03-31', 1, '2024-04-30'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2024-05-31', -1, '2024-04-30'],
    ['2024-12-15', 1, '2025-01-15'],
    ['2024-01-15', -1, '2023-12-15'],
    ['2024-11-30', 3, '2025-02-28'],
    ['2024-08-31', 6, '2025-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2024-02-29', -12, '2023-02-28'],
    ['2024-06-15', 0, '2024-06-15'],
    ['2024-06-15', 24, '2026-06-15'],
    ['2024-06-15', -30, '2021-12-15'],
    ['2024-01-01', -1, '2023-12-01'],
    ['2024-12-01', 1, '2025-01-01'],
  ])('%s %+d months is %s', (from, months, expected) => {
    expect(addMonths(d(from), months)).toBe(expected);
  });

  it('without an anchor, chaining month by month drifts off the month end', () => {
    const feb = addMonths(d('2024-01-31'), 1);
    expect(feb).toBe('2024-02-29');
    expect(addMonths(feb, 1)).toBe('2024-03-29');
  });

  it('anchorDay 31 keeps a month-end schedule on the month end in every later month', () => {
    const start = d('2024-01-31');
    const schedule = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((k) => addMonths(start, k, 31));
    expect(schedule).toEqual([
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2024-05-31',
      '2024-06-30',
      '2024-07-31',
      '2024-08-31',
      '2024-09-30',
      '2024-10-31',
      '2024-11-30',
      '2024-12-31',
      '2025-01-31',
      '2025-02-28',
    ]);
    // Chained from a clamped date the anchor restores the 31st.
    expect(addMonths(d('2024-02-29'), 1, 31)).toBe('2024-03-31');
    expect(addMonths(d('2024-04-30'), 1, 31)).toBe('2024-05-31');
  });

  it('anchorDay 30 restores the 30th after a February', () => {
    expect(addMonths(d('2024-01-30'), 1, 30)).toBe('2024-02-29');
    expect(addMonths(d('2024-02-29'), 1, 30)).toBe('2024-03-30');
    expect(addMonths(d('2023-02-28'), 1, 30)).toBe('2023-03-30');
  });

  it('always lands on a valid date that is the same day or clamped to the month end', () => {
    fc.assert(
      fc.property(
        businessDate,
        fc.integer({ min: -120, max: 120 }),
        fc.option(fc.integer({ min: 1, max: 31 }), { nil: undefined }),
        (date, months, anchor) => {
          const result = addMonths(date, months, anchor);
          if (result < '1900-01-01' || result > '2999-12-31') return; // outside the business range
          expect(isBusinessDate(result)).toBe(true);
          const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
          const [ry, rm, rd] = [Number(result.slice(0, 4)), Number(result.slice(5, 7)), Number(result.slice(8, 10))];
          expect(ry * 12 + rm - (y * 12 + m)).toBe(months);
          const wanted = anchor ?? Number(date.slice(8, 10));
          expect(rd).toBe(Math.min(wanted, daysInMonth(ry, rm)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('endOfMonth / isEndOfMonth', () => {
  it.each([
    ['2024-02-10', '2024-02-29'],
    ['2023-02-10', '2023-02-28'],
    ['2024-02-29', '2024-02-29'],
    ['2024-04-01', '2024-04-30'],
    ['2024-12-05', '2024-12-31'],
    ['2024-01-31', '2024-01-31'],
    ['1900-02-01', '1900-02-28'],
    ['2000-02-01', '2000-02-29'],
  ])('the month of %s ends on %s', (date, expected) => {
    expect(endOfMonth(d(date))).toBe(expected);
  });

  it.each([
    ['2024-02-29', true],
    ['2024-02-28', false],
    ['2023-02-28', true],
    ['2024-04-30', true],
    ['2024-12-31', true],
    ['2024-01-30', false],
    ['2024-01-01', false],
  ])('%s is a month end: %s', (date, expected) => {
    expect(isEndOfMonth(d(date))).toBe(expected);
  });

  it('the day after a month end is always the 1st', () => {
    fc.assert(
      fc.property(businessDate, (date) => {
        const end = endOfMonth(date);
        expect(isEndOfMonth(end)).toBe(true);
        expect(end.slice(0, 7)).toBe(date.slice(0, 7));
        if (end < '2999-12-31') expect(addDays(end, 1).slice(8)).toBe('01');
      }),
      { numRuns: 500 },
    );
  });
});

describe('compareDates / minDate / maxDate', () => {
  it('orders dates chronologically', () => {
    expect(compareDates(d('2024-01-31'), d('2024-02-01'))).toBe(-1);
    expect(compareDates(d('2025-01-01'), d('2024-12-31'))).toBe(1);
    expect(compareDates(d('2024-02-29'), d('2024-02-29'))).toBe(0);
    expect(minDate(d('2024-03-01'), d('2024-02-29'))).toBe('2024-02-29');
    expect(maxDate(d('2024-03-01'), d('2024-02-29'))).toBe('2024-03-01');
  });

  it('agrees with day-number order', () => {
    fc.assert(
      fc.property(businessDate, businessDate, (a, b) => {
        expect(compareDates(a, b)).toBe(Math.sign(toDayNumber(a) - toDayNumber(b)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('shanghaiDate: the business date is the calendar day in Asia/Shanghai (UTC+8)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('uses the Asia/Shanghai zone', () => {
    expect(BUSINESS_TIME_ZONE).toBe('Asia/Shanghai');
  });

  it.each([
    ['2026-11-27T16:30:00Z', '2026-11-28'], // 00:30 on the 28th in Shanghai
    ['2026-11-27T15:59:59.999Z', '2026-11-27'], // one millisecond before Shanghai midnight
    ['2026-11-27T16:00:00Z', '2026-11-28'], // Shanghai midnight
    ['2026-11-28T15:59:59Z', '2026-11-28'],
    ['2024-12-31T16:00:00Z', '2025-01-01'], // year rolls over in Shanghai first
    ['2024-12-31T15:59:59Z', '2024-12-31'],
    ['2024-02-28T16:00:00Z', '2024-02-29'], // leap day
    ['2024-02-29T16:00:00Z', '2024-03-01'],
    ['2026-01-05T03:00:00+08:00', '2026-01-05'],
  ])('%s is %s in Shanghai', (instant, expected) => {
    expect(shanghaiDate(new Date(instant))).toBe(expected);
  });

  it('does not depend on the server’s own time zone', () => {
    for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai']) {
      vi.stubEnv('TZ', tz);
      expect(shanghaiDate(new Date('2026-11-27T16:30:00Z')), tz).toBe('2026-11-28');
      expect(shanghaiDate(new Date('2026-11-27T15:30:00Z')), tz).toBe('2026-11-27');
    }
  });

  it('is always a valid business date, and the UTC date or the day after', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-30T00:00:00Z'), noInvalidDate: true }), (now) => {
        const date = shanghaiDate(now);
        expect(isBusinessDate(date)).toBe(true);
        const utcDate = now.toISOString().slice(0, 10) as BusinessDate;
        // Shanghai has been UTC+8 since 1949 (with summer time in 1986–1991), so it is never behind UTC.
        expect([utcDate, addDays(utcDate, 1)]).toContain(date);
      }),
      { numRuns: 500 },
    );
  });
});

describe('daysInYear: 365 or 366 for ACT/ACT conventions', () => {
  it.each([
    ['2024-06-01', 366],
    ['2024-01-01', 366],
    ['2024-12-31', 366],
    ['2023-06-01', 365],
    ['2000-06-01', 366],
    ['1900-06-01', 365],
    ['2100-06-01', 365],
  ])('the year of %s has %i days', (date, expected) => {
    expect(daysInYear(d(date))).toBe(expected);
  });

  it('equals the days from 1 January to the next 1 January', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2998 }), (year) => {
        const jan1 = d(`${year}-01-01`);
        expect(daysInYear(jan1)).toBe(daysBetween(jan1, d(`${year + 1}-01-01`)));
      }),
    );
  });
});
