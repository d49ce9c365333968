/** HTTP routes: trade documents (incl. XLSX/CSV import), receivables and their confirmation, factoring. */
import { z } from 'zod';
import { AppError } from '../../kernel/errors';
import {
  amountSchema as amount,
  currencySchema,
  dateSchema as date,
  errorBody,
  binarySchema,
  errorResponses,
  idParams,
  XLSX_CONTENT_TYPE,
  type App,
} from '../../kernel/http';
import {
  acceptFactoring,
  declineFactoring,
  fundFactoring,
  getFactoring,
  listFactoring,
  offerFactoring,
  recourseFactoring,
  requestFactoring,
  settleFactoring,
} from './factoring';
import {
  confirmReceivable,
  createDocument,
  importDocuments,
  importErrorWorkbook,
  listDocuments,
  listReceivables,
  rejectReceivable,
} from './service';
import { receivableDetail } from './detail';
import {
  createdDocumentSchema,
  documentSchema,
  factoringDealSchema,
  importResultSchema,
  receivableDetailSchema,
  receivableSchema,
} from './schemas';

const rate = z.string().regex(/^0(\.\d{1,8})?$|^1(\.0{1,8})?$/);

export async function receivableRoutes(app: App): Promise<void> {
  const tags = ['receivables'];
  app.get(
    '/api/v1/trade-documents',
    {
      schema: {
        tags,
        summary: 'Orders, contracts and invoices you issued or received',
        querystring: z.object({
          kind: z.enum(['order', 'contract', 'invoice']).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
        response: { 200: z.array(documentSchema), ...errorResponses },
      },
    },
    (request) => listDocuments(request.ctx, request.query),
  );
  app.post(
    '/api/v1/trade-documents',
    {
      schema: {
        tags,
        summary:
          "Record a document you issued (an invoice or contract with a due date creates a receivable awaiting the debtor's confirmation)",
        body: z.object({
          kind: z.enum(['order', 'contract', 'invoice']),
          counterpartyOrgId: z.string().uuid(),
          docNo: z.string().trim().min(1).max(60),
          issueDate: date,
          dueDate: date.optional(),
          currency: currencySchema.default('CNY'),
          amount,
          description: z.string().max(500).optional(),
        }),
        response: { 201: createdDocumentSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createDocument(request.ctx, request.body)),
  );
  app.post(
    '/api/v1/trade-documents/import',
    {
      schema: {
        tags,
        summary:
          'Import documents from XLSX or CSV (columns: kind, doc_no, seller_credit_code, buyer_credit_code, issue_date, due_date, currency, amount, description); all rows or none',
        consumes: ['multipart/form-data'],
        querystring: z.object({ report: z.enum(['json', 'xlsx']).default('json') }),
        response: {
          201: importResultSchema,
          ...errorResponses,
          400: {
            description: 'Refused: 400 IMPORT_REJECTED with the errors per row, or with ?report=xlsx the error report as a workbook',
            content: {
              'application/json': { schema: errorBody },
              [XLSX_CONTENT_TYPE]: { schema: binarySchema },
            },
          },
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const part = await request.file({ limits: { fileSize: 5 * 1024 * 1024 } });
      if (!part) throw new AppError('VALIDATION_FAILED', { field: 'file', reason: 'missing' });
      const content = await part.toBuffer();
      return request.writeOnce(reply, { file: content, fields: { fileName: part.filename } }, async () => {
        const result = await importDocuments(request.ctx, part.filename, content);
        if (result.status === 'rejected' && request.query.report === 'xlsx') {
          return reply
            .code(400)
            .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
            .header('content-disposition', 'attachment; filename="import-errors.xlsx"')
            .send(await importErrorWorkbook(result.errors, request.locale));
        }
        // the rejected batch stays in the import history: its record commits with the refusal
        if (result.status === 'rejected')
          throw new AppError('IMPORT_REJECTED', { errors: result.errors.length, rows: result.errors }, { keepWrites: true });
        return reply.code(201).send(result);
      });
    },
  );
  app.get(
    '/api/v1/receivables',
    {
      schema: {
        tags,
        summary: 'Receivables you are creditor or debtor of (or factor of)',
        querystring: z.object({
          role: z.enum(['creditor', 'debtor']).optional(),
          status: z.enum(['pending', 'confirmed', 'rejected', 'settled']).optional(),
          /** a receivable or document number, or the creditor's or debtor's name (contains) */
          q: z.string().trim().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
        response: { 200: z.array(receivableSchema), ...errorResponses },
      },
    },
    (request) => listReceivables(request.ctx, request.query),
  );
  app.get(
    '/api/v1/receivables/:id',
    {
      schema: {
        tags,
        summary: "A receivable with its trade document and the factoring deals on it you are party to (another party's: 404)",
        params: idParams,
        response: { 200: receivableDetailSchema, ...errorResponses },
      },
    },
    (request) => receivableDetail(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/receivables/:id/confirm',
    {
      schema: {
        tags,
        summary: '确权: the debtor confirms (optionally a lower amount or another due date)',
        params: idParams,
        body: z.object({ amount: amount.optional(), dueDate: date.optional() }),
        response: { 200: receivableSchema, ...errorResponses },
      },
    },
    (request) => confirmReceivable(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/v1/receivables/:id/reject',
    {
      schema: {
        tags,
        summary: 'The debtor rejects the payable',
        params: idParams,
        body: z.object({ reason: z.string().trim().min(1).max(500) }),
        response: { 200: receivableSchema, ...errorResponses },
      },
    },
    (request) => rejectReceivable(request.ctx, request.params.id, request.body.reason),
  );

  const ftags = ['factoring'];
  app.get(
    '/api/v1/factoring',
    {
      schema: {
        tags: ftags,
        summary: 'Factoring deals you are party to',
        querystring: z.object({ status: z.string().max(20).optional() }),
        response: { 200: z.array(factoringDealSchema), ...errorResponses },
      },
    },
    (request) => listFactoring(request.ctx, request.query),
  );
  app.get(
    '/api/v1/factoring/:id',
    { schema: { tags: ftags, summary: 'A factoring deal', params: idParams, response: { 200: factoringDealSchema, ...errorResponses } } },
    (request) => getFactoring(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/factoring',
    {
      schema: {
        tags: ftags,
        summary: 'Ask a factor to buy a confirmed receivable (creditor), or reverse factoring (debtor)',
        body: z.object({ receivableId: z.string().uuid(), factorOrgId: z.string().uuid(), recourse: z.boolean().default(true) }),
        response: { 201: factoringDealSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await requestFactoring(request.ctx, request.body)),
  );
  app.post(
    '/api/v1/factoring/:id/offer',
    {
      schema: {
        tags: ftags,
        summary:
          'The factor offers: advance rate, annual rate, fee; the advance is held on its factoring line for the creditor (the debtor in reverse factoring) — creditLineId, or the oldest active one',
        params: idParams,
        body: z.object({ advanceRate: rate, annualRate: rate, fee: amount, creditLineId: z.string().uuid().optional() }),
        response: { 200: factoringDealSchema, ...errorResponses },
      },
    },
    (request) => offerFactoring(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/v1/factoring/:id/accept',
    {
      schema: {
        tags: ftags,
        summary: 'The creditor accepts; the debtor gets the notice of assignment',
        params: idParams,
        response: { 200: factoringDealSchema, ...errorResponses },
      },
    },
    (request) => acceptFactoring(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/factoring/:id/fund',
    {
      schema: {
        tags: ftags,
        summary: 'The factor pays the advance',
        params: idParams,
        response: { 200: factoringDealSchema, ...errorResponses },
      },
    },
    (request) => fundFactoring(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/factoring/:id/settle',
    {
      schema: {
        tags: ftags,
        summary: 'The debtor pays at maturity; the factor keeps its due, the remainder goes to the creditor',
        params: idParams,
        response: { 200: factoringDealSchema, ...errorResponses },
      },
    },
    (request) => settleFactoring(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/factoring/:id/recourse',
    {
      schema: {
        tags: ftags,
        summary: 'Unpaid at maturity: with recourse the creditor repays the factor',
        params: idParams,
        response: { 200: factoringDealSchema, ...errorResponses },
      },
    },
    (request) => recourseFactoring(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/factoring/:id/decline',
    {
      schema: {
        tags: ftags,
        summary: 'Decline (factor) or withdraw (creditor) before funding',
        params: idParams,
        response: { 200: factoringDealSchema, ...errorResponses },
      },
    },
    (request) => declineFactoring(request.ctx, request.params.id),
  );
}
