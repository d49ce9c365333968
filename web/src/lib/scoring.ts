/** 资信管理: the shapes of the scoring and customer-field answers the pages use (mirrors /openapi.json). */
export const LEVELS = ['excellent', 'good', 'fair', 'weak', 'poor'] as const;
export type Level = (typeof LEVELS)[number];
export type CustomerType = 'corporate' | 'individual';

interface Label {
  zh: string;
  en: string;
}
export type Indicator =
  | {
      kind: 'quantitative';
      key: string;
      label: Label;
      weight: string;
      metric: string;
      bands: { min: string | null; max: string | null; points: string }[];
    }
  | { kind: 'qualitative'; key: string; label: Label; weight: string; levels: Record<Level, string> };

export interface Definition {
  indicators: Indicator[];
  grades: { grade: string; min: string }[];
  caps: { maxGrade: string; unlessFullMarks: string[] }[];
}

export interface ScoringTemplate {
  id: string;
  code: string;
  name: string;
  customerType: CustomerType;
  status: 'draft' | 'published' | 'retired';
  publishedVersion: number | null;
  versions: { version: number; status: 'draft' | 'published'; definition: Definition; publishedAt: string | null; createdAt: string }[];
  createdAt: string;
}

export interface IndicatorResult {
  key: string;
  label: Label;
  kind: 'quantitative' | 'qualitative';
  metric: string | null;
  value: string | null;
  band: { min: string | null; max: string | null } | null;
  level: Level | null;
  points: string;
  maxPoints: string;
  fullMarks: boolean;
  noData: boolean;
  weight: string;
  contribution: string;
}

export interface CreditScore {
  id: string;
  partyId: string;
  partyName: string | null;
  templateId: string;
  templateCode: string | null;
  templateName: string | null;
  templateVersion: number;
  statement: { id: string; periodType: string; periodEnd: string } | null;
  score: string;
  computedGrade: string;
  grade: string;
  indicators: IndicatorResult[];
  capsApplied: { maxGrade: string; missingFullMarks: string[] }[];
  levels: Record<string, Level>;
  note: string | null;
  businessDate: string;
  createdAt: string;
}

export interface FieldDefinition {
  id: string;
  customerType: CustomerType;
  key: string;
  labelZh: string;
  labelEn: string;
  fieldType: 'text' | 'number' | 'date' | 'enum' | 'money';
  required: boolean;
  options: string[];
  position: number;
  active: boolean;
}
export interface FieldValue extends FieldDefinition {
  value: string | null;
}

export interface PersonEntry {
  id: string;
  section: 'basic' | 'family' | 'shop' | 'occupation' | 'history' | 'economic';
  data: Record<string, unknown>;
  createdAt: string;
}

/** The label in the UI language. */
export const labelOf = (label: Label, language: string) => (language === 'en' ? label.en : label.zh);

/** "[0.5, 0.7)" for a band; open ends as −∞ / +∞. */
export const bandText = (band: { min: string | null; max: string | null }) => `[${band.min ?? '−∞'}, ${band.max ?? '+∞'})`;
