/** Request and answer shapes of the parties API (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { ORG_TYPES } from '../../kernel/context';
import {
  amountSchema,
  businessDateSchema,
  dateSchema,
  decimalSchema,
  idSchema,
  moneySchema,
  oneOf,
  timestampSchema,
} from '../../kernel/http';
import { ATTACHMENT_CATEGORIES } from './attachments';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullish();
/** A decimal amount in major units, e.g. "50000000.00". */
const amountString = amountSchema;
export const dateString = dateSchema;
export const uuidString = z.string().uuid();

export const orgTypeSchema = z.enum(ORG_TYPES);
export const classificationSchema = z.enum(['quality', 'normal', 'potential', 'blacklist']);
export const relationshipKindSchema = z.enum(['supplier', 'dealer', 'funder', 'service']);

const profileFields = {
  name: text(200),
  shortName: optionalText(60),
  legalRepresentative: optionalText(60),
  registeredCapital: amountString.nullish(),
  address: optionalText(300),
  region: optionalText(60),
  industry: optionalText(100),
  foundedOn: dateString.nullish(),
  phone: optionalText(40),
  email: z.string().trim().email().max(200).nullish(),
  website: optionalText(200),
  description: optionalText(2000),
};

export const createPartyBody = z.object({
  type: orgTypeSchema,
  /** Checked against GB 32100 in the service; an individual (个人客户) has none. */
  creditCode: z.string().trim().min(1).max(40).optional(),
  ...profileFields,
  /** For a core enterprise adding a supplier: its tier (1 = direct supplier). */
  tier: z.number().int().min(1).max(9).optional(),
});
export type CreatePartyInput = z.infer<typeof createPartyBody>;

export const updatePartyBody = z
  .object(profileFields)
  .partial()
  .extend({ version: z.number().int().min(1), creditCode: z.string().trim().min(1).max(40).optional() })
  .strict();
export type UpdatePartyInput = z.infer<typeof updatePartyBody>;

export const listPartiesQuery = z.object({
  q: z.string().trim().max(100).optional(),
  type: orgTypeSchema.optional(),
  classification: classificationSchema.optional(),
  memberStatus: z.enum(['member', 'prospect', 'suspended']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListPartiesQuery = z.infer<typeof listPartiesQuery>;

export const contactBody = z.object({
  name: text(60),
  title: optionalText(60),
  phone: optionalText(40),
  email: z.string().trim().email().max(200).nullish(),
  isPrimary: z.boolean().default(false),
});
export type ContactInput = z.infer<typeof contactBody>;

export const keyPersonBody = z.object({
  name: text(60),
  role: z.enum(['legal_representative', 'actual_controller', 'director', 'supervisor', 'general_manager', 'cfo']),
  /** Only a masked form is stored, e.g. 310***********1234. */
  idNumberMasked: z
    .string()
    .trim()
    .regex(/^[0-9X*]{6,18}$/i)
    .nullish(),
  phone: optionalText(40),
  note: optionalText(500),
});
export type KeyPersonInput = z.infer<typeof keyPersonBody>;

export const shareholderBody = z.object({
  name: text(200),
  kind: z.enum(['corporate', 'individual', 'state']),
  /** Percentage with up to 4 decimals, e.g. "51.0000". */
  sharePct: z.string().regex(/^\d{1,3}(\.\d{1,4})?$/),
  contribution: amountString.nullish(),
});
export type ShareholderInput = z.infer<typeof shareholderBody>;

export const statementBody = z.object({
  periodType: z.enum(['annual', 'semiannual', 'quarterly', 'monthly']),
  periodEnd: dateString,
  currency: z.literal('CNY').default('CNY'),
  audited: z.boolean().default(false),
  cash: amountString,
  receivables: amountString,
  inventory: amountString,
  currentAssets: amountString,
  totalAssets: amountString,
  currentLiabilities: amountString,
  totalLiabilities: amountString,
  equity: z.string().regex(/^-?\d{1,15}(\.\d{1,2})?$/),
  revenue: amountString,
  costOfSales: amountString,
  netProfit: z.string().regex(/^-?\d{1,15}(\.\d{1,2})?$/),
  operatingCashFlow: z.string().regex(/^-?\d{1,15}(\.\d{1,2})?$/),
  /** 利息费用 and 所得税: optional; with them the statement has an interest cover (利息保障倍数). */
  interestExpense: amountString.optional(),
  incomeTax: z
    .string()
    .regex(/^-?\d{1,15}(\.\d{1,2})?$/)
    .optional(),
});
export type StatementInput = z.infer<typeof statementBody>;

export const classifyBody = z.object({ classification: classificationSchema, reason: text(500) });
export type ClassifyInput = z.infer<typeof classifyBody>;

export const relationshipBody = z.object({
  fromOrgId: uuidString,
  toOrgId: uuidString,
  kind: relationshipKindSchema,
  sinceDate: dateString,
  note: optionalText(500),
});
export type RelationshipInput = z.infer<typeof relationshipBody>;

export const followUpBody = z.object({
  channel: z.enum(['visit', 'call', 'meeting', 'email', 'other']),
  content: text(4000),
  nextAction: optionalText(500),
  nextDate: dateString.nullish(),
});
export type FollowUpInput = z.infer<typeof followUpBody>;

export const graphQuery = z.object({ networkOrgId: uuidString.optional() });

// --- answers -------------------------------------------------------------------------------------------------

const memberStatusSchema = oneOf(['member', 'prospect', 'suspended']);

/** A party profile (parties/service.ts toPartyDto). */
export const partySchema = z.object({
  id: idSchema,
  type: orgTypeSchema,
  name: z.string(),
  shortName: z.string().nullable(),
  creditCode: z.string().nullable(),
  legalRepresentative: z.string().nullable(),
  registeredCapital: moneySchema.nullable().describe('decimal string in CNY'),
  capitalCurrency: z.string(),
  address: z.string().nullable(),
  region: z.string().nullable(),
  industry: z.string().nullable(),
  foundedOn: businessDateSchema.nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  description: z.string().nullable(),
  memberStatus: memberStatusSchema,
  managedByOrgId: idSchema.nullable(),
  version: z.number().int(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
/** In a list: with the caller's own classification of the party. */
export const partyListItemSchema = partySchema.extend({ classification: oneOf(classificationSchema.options).nullable() });
/** One party: with the caller's classification, what the caller may see of it and whether it may edit it. */
export const partyDetailSchema = partySchema.extend({
  classification: oneOf(classificationSchema.options).nullable(),
  access: oneOf(['none', 'basic', 'confidential', 'manage']),
  canEdit: z.boolean(),
});
export const partyStatsSchema = z.object({
  visibleParties: z.number().int(),
  byType: z.record(z.string(), z.number().int()),
  relationships: z.number().int(),
  prospects: z.number().int(),
  blacklisted: z.number().int(),
});

export const relationshipSchema = z.object({
  id: idSchema,
  networkOrgId: idSchema.nullable(),
  fromOrgId: idSchema,
  toOrgId: idSchema,
  kind: oneOf(relationshipKindSchema.options),
  tier: z.number().int().nullable(),
  sinceDate: businessDateSchema,
  status: oneOf(['active', 'ended']),
  note: z.string().nullable(),
});
export const relationshipGraphSchema = z.object({
  nodes: z.array(z.object({ id: idSchema, name: z.string(), shortName: z.string().nullable(), type: oneOf(ORG_TYPES) })),
  edges: z.array(relationshipSchema),
});

export const contactSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  name: z.string(),
  title: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  isPrimary: z.boolean(),
  createdAt: timestampSchema,
});

export const keyPersonSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  name: z.string(),
  role: oneOf(keyPersonBody.shape.role.options),
  idNumberMasked: z.string().nullable(),
  phone: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: timestampSchema,
});

export const shareholderSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  name: z.string(),
  kind: oneOf(shareholderBody.shape.kind.options),
  sharePct: decimalSchema.describe('percentage, four decimals, e.g. "51.0000"'),
  contribution: moneySchema.nullable().describe('decimal string in CNY'),
  createdAt: timestampSchema,
});

/** An attachment's description (its bytes: GET …/attachments/:itemId). */
export const attachmentSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  category: oneOf(ATTACHMENT_CATEGORIES),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  visibility: oneOf(['private', 'shared']),
  uploadedByOrgId: idSchema,
  createdAt: timestampSchema,
});
/** The content types an attachment can have (parties/attachments.ts checks each file's type by its content). */
export const ATTACHMENT_CONTENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
  'text/csv',
  'image/gif',
  'image/webp',
  'audio/mpeg',
  'audio/mp4',
  'audio/wav',
  'audio/ogg',
  'video/mp4',
  'video/quicktime',
  'video/webm',
] as const;

const ratio = decimalSchema.nullable();
/** A period's statement (amounts in CNY) with its ratios (four decimals; null where the denominator is not positive). */
export const financialStatementSchema = z.object({
  id: idSchema,
  periodType: oneOf(statementBody.shape.periodType.options),
  periodEnd: businessDateSchema,
  currency: z.string(),
  audited: z.boolean(),
  lines: z.object({
    cash: moneySchema,
    receivables: moneySchema,
    inventory: moneySchema,
    currentAssets: moneySchema,
    totalAssets: moneySchema,
    currentLiabilities: moneySchema,
    totalLiabilities: moneySchema,
    equity: moneySchema,
    revenue: moneySchema,
    costOfSales: moneySchema,
    netProfit: moneySchema,
    operatingCashFlow: moneySchema,
    interestExpense: moneySchema.nullable(),
    incomeTax: moneySchema.nullable(),
  }),
  ratios: z.object({
    currentRatio: ratio,
    quickRatio: ratio,
    debtToAsset: ratio,
    roe: ratio,
    roa: ratio,
    grossMargin: ratio,
    netMargin: ratio,
    revenueGrowth: ratio,
    receivablesTurnover: ratio,
    inventoryTurnover: ratio,
    operatingCashFlowToCurrentLiabilities: ratio,
    interestCover: ratio,
  }),
  createdAt: timestampSchema,
});

/** One of the caller's classifications of a party (its own record; nobody else sees it). */
export const classificationRecordSchema = z.object({
  id: idSchema,
  ownerOrgId: idSchema,
  partyId: idSchema,
  classification: oneOf(classificationSchema.options),
  reason: z.string(),
  setByUserId: idSchema,
  /** The business date it was set on (createdAt is the clock's instant). */
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
});

export const followUpSchema = z.object({
  id: idSchema,
  ownerOrgId: idSchema,
  partyId: idSchema,
  userId: idSchema,
  channel: oneOf(followUpBody.shape.channel.options),
  content: z.string(),
  nextAction: z.string().nullable(),
  nextDate: businessDateSchema.nullable(),
  /** The business date of the follow-up (createdAt is the clock's instant). */
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
});
