/** 资信管理: the shapes of the scoring and customer-field answers the pages use (aliases of the generated API types). */
import type { ItemOf, ResponseOf } from './types';

export const LEVELS = ['excellent', 'good', 'fair', 'weak', 'poor'] as const;
export type Level = (typeof LEVELS)[number];
export type CustomerType = 'corporate' | 'individual';

type Label = ScoringTemplate['versions'][number]['definition']['indicators'][number]['label'];

export type ScoringTemplate = ResponseOf<'/api/v1/scoring/templates/{id}'>;
export type Definition = ScoringTemplate['versions'][number]['definition'];
export type Indicator = Definition['indicators'][number];
export type CreditScore = ResponseOf<'/api/v1/scoring/scores/{id}'>;
export type IndicatorResult = CreditScore['indicators'][number];
export type FieldDefinition = ItemOf<ResponseOf<'/api/v1/customer-fields'>>;
export type FieldValue = ItemOf<ResponseOf<'/api/v1/parties/{id}/custom-fields'>>;
export type PersonEntry = ItemOf<ResponseOf<'/api/v1/parties/{id}/person'>>;

/** The label in the UI language. */
export const labelOf = (label: Label, language: string) => (language === 'en' ? label.en : label.zh);

/** "[0.5, 0.7)" for a band; open ends as −∞ / +∞. */
export const bandText = (band: { min: string | null; max: string | null }) => `[${band.min ?? '−∞'}, ${band.max ?? '+∞'})`;
