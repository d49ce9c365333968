/**
 * 资信打分 (seed 003 资信管理): the pure scorer. A template's definition lists its indicators — quantitative ones read a
 * ratio of the customer's statement and score it by a threshold table, qualitative ones are one of five levels the
 * assessor picks — each with a weight (the weights add up to 100). An indicator scores 0–100 points; its contribution
 * is points × weight / 100, so the score is 0–100 too. The grade is the first band whose minimum the score reaches,
 * then capped: a cap says "no better than maxGrade unless these indicators have full marks" (AAA only with full marks
 * on the debt ratio and the repayment record).
 *
 * Decimal maths (decimal.js) throughout: contributions keep 4 decimals, the score 2 (half up). A ratio the statement
 * cannot give (a zero denominator, a line not entered, no statement at all) scores 0 points and says so (`noData`).
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';

/** The statement ratios a quantitative indicator may read (parties' computeRatios). */
export const METRICS = [
  'debtToAsset',
  'currentRatio',
  'quickRatio',
  'interestCover',
  'roe',
  'roa',
  'grossMargin',
  'netMargin',
  'revenueGrowth',
  'receivablesTurnover',
  'inventoryTurnover',
  'operatingCashFlowToCurrentLiabilities',
] as const;
export type Metric = (typeof METRICS)[number];

/** 优 良 中 差 劣 */
export const LEVELS = ['excellent', 'good', 'fair', 'weak', 'poor'] as const;
export type Level = (typeof LEVELS)[number];

export const CUSTOMER_TYPES = ['corporate', 'individual'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

const decimal = z.string().regex(/^-?\d{1,9}(\.\d{1,4})?$/, 'a decimal with up to 4 places');
const points = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, 'points 0–100 with up to 2 places')
  .refine((v) => new Decimal(v).lte(100), 'points 0–100');
const key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _');
const label = z.object({ zh: z.string().trim().min(1).max(60), en: z.string().trim().min(1).max(80) });

const band = z.object({ min: decimal.nullable(), max: decimal.nullable(), points });
const quantitative = z.object({
  kind: z.literal('quantitative'),
  key,
  label,
  weight: points,
  metric: z.enum(METRICS),
  /** Half-open ranges [min, max); null is open-ended. They must not overlap. */
  bands: z.array(band).min(1).max(12),
});
const qualitative = z.object({
  kind: z.literal('qualitative'),
  key,
  label,
  weight: points,
  levels: z.object({ excellent: points, good: points, fair: points, weak: points, poor: points }),
});
export const indicatorSchema = z.discriminatedUnion('kind', [quantitative, qualitative]);
export type Indicator = z.infer<typeof indicatorSchema>;

export const definitionSchema = z
  .object({
    indicators: z.array(indicatorSchema).min(1).max(40),
    /** Best first, minimums strictly falling, the last one 0. */
    grades: z
      .array(z.object({ grade: z.string().trim().min(1).max(10), min: points }))
      .min(2)
      .max(12),
    caps: z
      .array(z.object({ maxGrade: z.string().trim().min(1).max(10), unlessFullMarks: z.array(key).min(1).max(10) }))
      .max(10)
      .default([]),
  })
  .superRefine((d, issue) => {
    const keys = d.indicators.map((i) => i.key);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i) issue.addIssue({ code: 'custom', path: ['indicators', i, 'key'], message: `duplicate key ${k}` });
    });
    const total = d.indicators.reduce((sum, i) => sum.plus(i.weight), new Decimal(0));
    if (!total.eq(100)) issue.addIssue({ code: 'custom', path: ['indicators'], message: `weights add up to ${total.toString()}, not 100` });
    d.indicators.forEach((ind, i) => {
      if (ind.kind !== 'quantitative') return;
      const sorted = [...ind.bands].sort((a, b) => lowerOf(a).comparedTo(lowerOf(b)));
      sorted.forEach((b, j) => {
        if (b.min !== null && b.max !== null && !new Decimal(b.min).lt(b.max))
          issue.addIssue({ code: 'custom', path: ['indicators', i, 'bands'], message: `band [${b.min}, ${b.max}) is empty` });
        const next = sorted[j + 1];
        if (next && (b.max === null || new Decimal(b.max).gt(lowerOf(next))))
          issue.addIssue({ code: 'custom', path: ['indicators', i, 'bands'], message: 'bands overlap' });
      });
    });
    d.grades.forEach((g, i) => {
      const previous = d.grades[i - 1];
      if (previous && !new Decimal(g.min).lt(previous.min))
        issue.addIssue({ code: 'custom', path: ['grades', i, 'min'], message: 'grade minimums must fall' });
    });
    if (d.grades.at(-1)?.min !== undefined && !new Decimal(d.grades.at(-1)!.min).eq(0))
      issue.addIssue({ code: 'custom', path: ['grades'], message: 'the last grade starts at 0' });
    const gradeNames = d.grades.map((g) => g.grade);
    gradeNames.forEach((g, i) => {
      if (gradeNames.indexOf(g) !== i) issue.addIssue({ code: 'custom', path: ['grades', i, 'grade'], message: `duplicate grade ${g}` });
    });
    d.caps.forEach((c, i) => {
      if (!gradeNames.includes(c.maxGrade))
        issue.addIssue({ code: 'custom', path: ['caps', i, 'maxGrade'], message: `no grade ${c.maxGrade}` });
      for (const k of c.unlessFullMarks)
        if (!keys.includes(k)) issue.addIssue({ code: 'custom', path: ['caps', i, 'unlessFullMarks'], message: `no indicator ${k}` });
    });
  });
export type Definition = z.infer<typeof definitionSchema>;

const lowerOf = (b: { min: string | null }) => (b.min === null ? new Decimal(-Infinity) : new Decimal(b.min));

export interface ScoreInput {
  /** The statement's ratios (4-decimal strings, null where not computable); undefined: the customer has no statement. */
  ratios: Partial<Record<Metric, string | null>> | undefined;
  /** The assessor's level for every qualitative indicator, by key. */
  levels: Record<string, Level>;
}

export interface IndicatorResult {
  key: string;
  label: { zh: string; en: string };
  kind: 'quantitative' | 'qualitative';
  metric: Metric | null;
  /** The ratio read (quantitative) — null when the statement cannot give it. */
  value: string | null;
  /** The band hit (quantitative), null when none. */
  band: { min: string | null; max: string | null } | null;
  /** The level picked (qualitative). */
  level: Level | null;
  points: string;
  maxPoints: string;
  fullMarks: boolean;
  noData: boolean;
  weight: string;
  contribution: string;
}

export interface ScoreResult {
  score: string;
  /** The band's grade before caps. */
  computedGrade: string;
  grade: string;
  indicators: IndicatorResult[];
  capsApplied: { maxGrade: string; missingFullMarks: string[] }[];
}

/** Qualitative indicators the assessor has not given a level for (the service refuses to score without them). */
export function missingLevels(definition: Definition, levels: Record<string, Level>): string[] {
  return definition.indicators.filter((i) => i.kind === 'qualitative' && levels[i.key] === undefined).map((i) => i.key);
}

function bandOf(bands: z.infer<typeof band>[], value: Decimal) {
  return bands.find((b) => (b.min === null || value.gte(b.min)) && (b.max === null || value.lt(b.max)));
}

function scoreIndicator(ind: Indicator, input: ScoreInput): IndicatorResult {
  const weight = new Decimal(ind.weight);
  let value: string | null = null;
  let hit: { min: string | null; max: string | null } | null = null;
  let level: Level | null = null;
  let got: Decimal | null = null;
  let maxPoints: Decimal;
  if (ind.kind === 'quantitative') {
    maxPoints = Decimal.max(...ind.bands.map((b) => b.points));
    value = input.ratios?.[ind.metric] ?? null;
    const b = value === null ? undefined : bandOf(ind.bands, new Decimal(value));
    if (b) {
      hit = { min: b.min, max: b.max };
      got = new Decimal(b.points);
    }
  } else {
    maxPoints = Decimal.max(...LEVELS.map((l) => ind.levels[l]));
    level = input.levels[ind.key] ?? null;
    if (level) got = new Decimal(ind.levels[level]);
  }
  const pts = got ?? new Decimal(0);
  return {
    key: ind.key,
    label: ind.label,
    kind: ind.kind,
    metric: ind.kind === 'quantitative' ? ind.metric : null,
    value,
    band: hit,
    level,
    points: pts.toFixed(2),
    maxPoints: maxPoints.toFixed(2),
    fullMarks: got !== null && got.eq(maxPoints),
    noData: got === null,
    weight: weight.toFixed(2),
    contribution: pts.times(weight).dividedBy(100).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4),
  };
}

/** Scores a customer with a template's definition. Pure: the same definition and input always give the same result. */
export function scoreWith(definition: Definition, input: ScoreInput): ScoreResult {
  const indicators = definition.indicators.map((ind) => scoreIndicator(ind, input));
  const score = indicators.reduce((sum, r) => sum.plus(r.contribution), new Decimal(0)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const rank = (grade: string) => definition.grades.findIndex((g) => g.grade === grade);
  const computedGrade = definition.grades.find((g) => score.gte(g.min))!.grade;
  let grade = computedGrade;
  const capsApplied: ScoreResult['capsApplied'] = [];
  for (const cap of definition.caps) {
    const missingFullMarks = cap.unlessFullMarks.filter((k) => !indicators.find((r) => r.key === k)?.fullMarks);
    if (missingFullMarks.length === 0 || rank(grade) >= rank(cap.maxGrade)) continue;
    grade = cap.maxGrade;
    capsApplied.push({ maxGrade: cap.maxGrade, missingFullMarks });
  }
  return { score: score.toFixed(2), computedGrade, grade, indicators, capsApplied };
}
