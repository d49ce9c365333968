/** Request and answer schemas of the workbench routes (every field the services return, as they return it). */
import { z } from 'zod';
import { businessDateSchema, dateSchema, idSchema, oneOf, timestampSchema } from '../../kernel/http';
import { ORG_TYPES } from '../../kernel/context';
import { MAX_NAMED_RECIPIENTS } from './service';
import { NOTICE_AUDIENCES } from './schema';

const words = z.object({ zh: z.string(), en: z.string() });

export const workbenchItemSchema = z.object({
  key: z.string(),
  label: words,
  value: z.string().describe('a decimal amount in the card\'s currency ("1234.56"), or a count ("12") when the card has none'),
  count: z.number().int().nullable().describe('the records behind an amount'),
  note: z.string().nullable().describe('a date or a second figure shown beside the value'),
  link: z.string().nullable().describe('the web route of the list behind the line'),
});

export const workbenchCardSchema = z.object({
  key: z.string().describe('module.card, e.g. financing.balance'),
  kind: oneOf(['figure', 'breakdown', 'series', 'list']),
  title: words,
  currency: z.string().nullable(),
  value: z.string().nullable(),
  count: z.number().int().nullable(),
  items: z.array(workbenchItemSchema),
  link: z.string().nullable().describe('the web route of the list behind the card, its filters in the query string'),
});

export const alertSchema = z.object({
  source: z.string().describe('loan_overdue, margin_call, pledge_underinsured, credit_line_near_limit, credit_line_expiring…'),
  severity: oneOf(['warning', 'critical']),
  id: z.string(),
  title: z.string(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  date: z.string().nullable(),
  link: z.string(),
});

export const noticeSchema = z.object({
  id: idSchema,
  publisherOrgId: idSchema,
  publisherName: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  audience: oneOf(NOTICE_AUDIENCES),
  pinnedUntil: businessDateSchema,
  businessDate: businessDateSchema,
  createdAt: timestampSchema,
  recipientOrgIds: z.array(idSchema).optional().describe("the publisher's only"),
});

export const workbenchResponse = z.object({
  businessDate: businessDateSchema,
  orgType: oneOf(ORG_TYPES),
  notices: z.array(noticeSchema),
  alerts: z.array(alertSchema),
  cards: z.array(workbenchCardSchema),
});

export const publishNoticeBody = z.object({
  title: z.string().trim().min(1).max(120),
  body: z.string().trim().max(2000).default(''),
  pinnedUntil: dateSchema,
  audience: z.enum(NOTICE_AUDIENCES),
  recipientOrgIds: z.array(idSchema).max(MAX_NAMED_RECIPIENTS).optional().describe('for audience named'),
});
