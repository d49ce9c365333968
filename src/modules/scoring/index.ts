/**
 * 资信管理 (seed 003; issue 17): credit scoring templates per customer type — quantitative indicators scored from the
 * customer's statements by threshold tables, qualitative ones on five levels, weights, grade bands and caps — versioned
 * like products (templates.ts), and the scores made with them with their breakdown (scores.ts). A score is the
 * assessor's internal assessment: its owner alone reads it. Usable by any assessor: a guarantor reviewing a project,
 * a bank scoring its applicants.
 */
export { scoringRoutes } from './routes';
export { scoreCustomer, listScores, getScore, currentGrade, type ScoreDto } from './scores';
export { createTemplate, publishVersion, listTemplates, type TemplateDto } from './templates';
export { scoreWith, definitionSchema, METRICS, LEVELS, CUSTOMER_TYPES, type Definition, type Level, type CustomerType } from './model';
