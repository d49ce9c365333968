/** HTTP routes of financing: applications, contracts, drawdowns, loans, repayments, EOD, collections, reports. */
import { z } from 'zod';
import { AppError } from '../../kernel/errors';
import {
  amountSchema as amount,
  currencySchema,
  dateSchema as date,
  errorResponses,
  fileResponse,
  idParams,
  noContent,
  page,
  readUpload,
  XLSX_CONTENT_TYPE,
  type App,
} from '../../kernel/http';
import { MAX_ATTACHMENT_BYTES } from '../parties';
import { TIERS } from '../products';
import {
  APPLICATION_DOCUMENT_EXTENSIONS,
  downloadApplicationDocument,
  removeApplicationDocument,
  uploadApplicationDocument,
} from './application-documents';
import {
  cancelApplication,
  closeApplication,
  createApplication,
  downloadContract,
  getApplication,
  listApplications,
  recordDueDiligence,
  signContract,
  submitApplication,
  updateApplication,
} from './applications';
import {
  addCollectionAction,
  addPostLoanCheck,
  downloadPostLoanReport,
  getCollectionCase,
  listCollectionCases,
  listLoanRequests,
  listPostLoanChecks,
  requestClassification,
  requestOffPlatformRepayment,
  requestWriteOff,
} from './collections';
import { applicationCreditView, drawdownCreditView } from './decision-context';
import { requestDrawdown } from './drawdowns';
import { getRun, listRuns, startEod } from './eod';
import { APPLICATION_STATUSES } from './application-lifecycle';
import { getLoan, listLoans, previewSchedule, repay } from './loans';
import { REPORTS, buildReport, reportWorkbook } from './reports';
import {
  applicationDetailSchema,
  applicationDocumentSchema,
  applicationSchema,
  collectionCaseListItemSchema,
  collectionCaseSchema,
  creditViewSchema,
  drawdownRequestedSchema,
  eodRunSchema,
  loanDetailSchema,
  loanRequestCreatedSchema,
  loanRequestSchema,
  loanSchema,
  postLoanCheckCreatedSchema,
  postLoanCheckSchema,
  repaymentSchema,
  reportSchema,
  schedulePreviewSchema,
} from './schemas';

const applicationBody = z.object({
  productId: z.string().uuid(),
  amount,
  termMonths: z.number().int().min(1).max(360),
  purpose: z.string().trim().min(1).max(500),
  creditLineId: z.string().uuid().optional(),
  /** receivables products: the applicant's confirmed receivables it pledges (checked and held on submission) */
  receivableIds: z.array(z.string().uuid()).max(200).optional(),
  /** inventory products (动产质押): the applicant's lots in store it pledges (pledged to the funder on submission) */
  lotIds: z.array(z.string().uuid()).max(200).optional(),
  /** warehouse_receipt products (仓单质押): the applicant's issued receipts it pledges (pledged on submission) */
  receiptIds: z.array(z.string().uuid()).max(200).optional(),
  /** insurance_policy products (保单融资): the applicant's policies in force it pledges (pledged on submission) */
  policyIds: z.array(z.string().uuid()).max(20).optional(),
  /** goods products: static (goods leave only through a release) or dynamic; default: the product's term */
  pledgeKind: z.enum(['static', 'dynamic']).optional(),
  /** a dynamic pledge: the minimum controlled value (最低控货价值) of the goods that stay pledged */
  minControlledValue: amount.nullable().optional(),
});
/** The content types an application document can have (checked by content on upload). */
const DOCUMENT_CONTENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  XLSX_CONTENT_TYPE,
];
const documentParams = idParams.extend({ documentId: z.string().uuid() });
/** A list's search: a number or a counterparty's name (contains); blank means no search. */
const keyword = z.string().trim().max(100).optional();
const reportQuery = z.object({
  funderOrgId: z.string().uuid().optional(),
  productId: z.string().uuid().optional(),
  networkOrgId: z.string().uuid().optional(),
  from: date.optional(),
  to: date.optional(),
  currency: currencySchema.optional(),
});

export async function financingRoutes(app: App): Promise<void> {
  const tags = ['financing'];
  app.get(
    '/api/v1/applications',
    {
      schema: {
        tags,
        summary: 'Applications you made (borrower), received (funder) or of your network (core)',
        querystring: z.object({
          status: z.enum(APPLICATION_STATUSES).optional(),
          role: z.enum(['borrower', 'funder']).optional(),
          q: keyword,
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.array(applicationSchema), ...errorResponses },
      },
    },
    (request) => listApplications(request.ctx, request.query),
  );
  app.post(
    '/api/v1/applications',
    {
      schema: {
        tags,
        summary: '进件: apply under a product (draft)',
        body: applicationBody,
        response: { 201: applicationDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createApplication(request.ctx, request.body)),
  );
  app.get(
    '/api/v1/applications/:id',
    {
      schema: {
        tags,
        summary: 'An application with its product terms, approval case, contract, drawdowns and loans',
        params: idParams,
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) => getApplication(request.ctx, request.params.id),
  );
  app.patch(
    '/api/v1/applications/:id',
    {
      schema: {
        tags,
        summary: 'Edit a draft or returned application',
        params: idParams,
        body: applicationBody.partial(),
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) => updateApplication(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/v1/applications/:id/documents',
    {
      schema: {
        tags,
        summary: `Upload a document of the application (multipart: kind, file; ${APPLICATION_DOCUMENT_EXTENSIONS.join(' ')}; ≤ ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB): the applicant, while draft or returned; replaces the kind's file`,
        params: idParams,
        consumes: ['multipart/form-data'],
        response: { 201: applicationDocumentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { file, fields } = await readUpload(request, MAX_ATTACHMENT_BYTES);
      if (!file) throw new AppError('VALIDATION_FAILED', { field: 'file', reason: 'missing' });
      const meta = z.object({ kind: z.string().trim().min(1).max(60) }).safeParse(fields);
      if (!meta.success)
        throw new AppError('VALIDATION_FAILED', { issues: meta.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      return request.writeOnce(reply, { file: file.content, fields: { ...fields, fileName: file.fileName } }, async () =>
        reply.code(201).send(await uploadApplicationDocument(request.ctx, request.params.id, { ...file, kind: meta.data.kind })),
      );
    },
  );
  app.get(
    '/api/v1/applications/:id/documents/:documentId',
    {
      schema: {
        tags,
        summary: 'Download a document of the application (the applicant, its funder, the operator)',
        params: documentParams,
        response: {
          200: fileResponse("The document's bytes, as uploaded (x-content-sha256: its SHA-256)", DOCUMENT_CONTENT_TYPES),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const file = await downloadApplicationDocument(request.ctx, request.params.id, request.params.documentId);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header('x-content-type-options', 'nosniff')
        .header('x-content-sha256', file.sha256)
        .header('etag', `"${file.sha256}"`)
        .send(file.content);
    },
  );
  app.delete(
    '/api/v1/applications/:id/documents/:documentId',
    {
      schema: {
        tags,
        summary: 'Remove a document of the application (the applicant, while draft or returned)',
        params: documentParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await removeApplicationDocument(request.ctx, request.params.id, request.params.documentId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/applications/:id/submit',
    {
      schema: {
        tags,
        summary: 'Submit for approval (409 DOCUMENTS_MISSING unless a file is uploaded for each required document kind)',
        params: idParams,
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) => submitApplication(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/applications/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Withdraw the application',
        params: idParams,
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) => cancelApplication(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/applications/:id/close',
    {
      schema: {
        tags,
        summary: 'Close an approved facility (releases undrawn credit)',
        params: idParams,
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) => closeApplication(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/applications/:id/due-diligence',
    {
      schema: {
        tags,
        summary: "尽调: the funder officer's due diligence",
        params: idParams,
        body: z.object({
          summary: z.string().trim().min(1).max(4000),
          rating: z.string().trim().min(1).max(10),
          siteVisitDate: date.optional(),
          risks: z.string().max(2000).optional(),
          recommendation: z.enum(['approve', 'reject', 'conditional']),
        }),
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) => recordDueDiligence(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/v1/applications/:id/contract/sign',
    {
      schema: {
        tags,
        summary: 'Sign the contract (borrower and funder each once)',
        params: idParams,
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) => signContract(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/applications/:id/contract.pdf',
    {
      schema: {
        tags,
        summary: 'The contract PDF',
        params: idParams,
        response: { 200: fileResponse('The contract (x-content-sha256: its SHA-256)', ['application/pdf']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await downloadContract(request.ctx, request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${file.fileName}"`)
        .header('x-content-sha256', file.sha256)
        .send(file.pdf);
    },
  );
  app.get(
    '/api/v1/applications/:id/credit-view',
    {
      schema: {
        tags,
        summary: "授信视角: what the approver decides on — the application, its contract, the borrower's exposure and lines with you",
        description:
          "The funder's officers and the operator only (anybody else: 404). The application with its due diligence and contract; " +
          "the borrower's live loans with the funder (outstanding principal, amounts past due, the worst five-tier class), its " +
          'overdue loans, and its credit lines with the funder (limit, used, occupied, available).',
        params: idParams,
        response: { 200: creditViewSchema, ...errorResponses },
      },
    },
    (request) => applicationCreditView(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/drawdowns/:id/credit-view',
    {
      schema: {
        tags,
        summary: "授信视角 of a drawdown's approval: the drawdown, its facility's application and contract, the borrower's exposure",
        description: 'As GET /api/v1/applications/:id/credit-view for the facility drawn on, with the drawdown. Funder and operator only.',
        params: idParams,
        response: { 200: creditViewSchema, ...errorResponses },
      },
    },
    (request) => drawdownCreditView(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/applications/:id/drawdowns',
    {
      schema: {
        tags,
        summary: '支用: request a drawdown on a signed facility',
        params: idParams,
        body: z.object({ amount }),
        response: { 201: drawdownRequestedSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await requestDrawdown(request.ctx, request.params.id, request.body)),
  );
  app.get(
    '/api/v1/schedule-preview',
    {
      schema: {
        tags,
        summary: 'The repayment schedule a drawdown would get, before confirming',
        querystring: z.object({
          productId: z.string().uuid(),
          productVersion: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
          amount,
          termMonths: z.coerce.number().int().min(1).max(360),
        }),
        response: { 200: schedulePreviewSchema, ...errorResponses },
      },
    },
    (request) => previewSchedule(request.ctx, request.query),
  );

  app.get(
    '/api/v1/loans',
    {
      schema: {
        tags,
        summary: 'Loans you may see (portfolio)',
        querystring: z.object({
          status: z.enum(['current', 'overdue', 'closed', 'written_off']).optional(),
          funderOrgId: z.string().uuid().optional(),
          productId: z.string().uuid().optional(),
          networkOrgId: z.string().uuid().optional(),
          classification: z.enum(TIERS).optional(),
          q: keyword,
          /** only loans past due */
          overdue: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: page(loanSchema), ...errorResponses },
      },
    },
    (request) => listLoans(request.ctx, { ...request.query, overdue: request.query.overdue === 'true' }),
  );
  app.get(
    '/api/v1/loans/:id',
    {
      schema: {
        tags,
        summary: 'A loan: balances, schedule, payments, accruals, collection',
        params: idParams,
        response: { 200: loanDetailSchema, ...errorResponses },
      },
    },
    (request) => getLoan(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/loans/:id/repayments',
    {
      schema: {
        tags,
        summary: '还款: pay what is due (penalty → fee → interest → principal by default); prepay to repay principal early',
        params: idParams,
        body: z.object({ amount, prepay: z.boolean().optional() }),
        response: { 201: repaymentSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await repay(request.ctx, request.params.id, request.body)),
  );
  app.post(
    '/api/v1/loans/:id/off-platform-repayments',
    {
      schema: {
        tags,
        summary:
          '线下还款登记: the funder records a repayment it received outside the platform; applied as the borrower’s repayment once a second person approves (flow off_platform_repayment_approval)',
        params: idParams,
        body: z.object({
          amount,
          valueDate: date,
          reference: z.string().trim().min(1).max(100),
          note: z.string().trim().max(1000).optional(),
        }),
        response: { 201: loanRequestCreatedSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await requestOffPlatformRepayment(request.ctx, request.params.id, request.body)),
  );
  app.post(
    '/api/v1/loans/:id/write-off',
    {
      schema: {
        tags,
        summary: '核销: request a write-off (approval flow write_off_approval)',
        params: idParams,
        body: z.object({ reason: z.string().trim().min(1).max(1000) }),
        response: { 201: loanRequestCreatedSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await requestWriteOff(request.ctx, request.params.id, request.body.reason)),
  );
  app.post(
    '/api/v1/loans/:id/classification',
    {
      schema: {
        tags,
        summary: '五级分类调整: request a manual classification with a reason (approval flow)',
        params: idParams,
        body: z.object({ tier: z.enum(TIERS), reason: z.string().trim().min(1).max(1000) }),
        response: { 201: loanRequestCreatedSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await requestClassification(request.ctx, request.params.id, request.body.tier, request.body.reason)),
  );
  app.get(
    '/api/v1/loans/:id/requests',
    {
      schema: {
        tags,
        summary: 'Write-off, classification and off-platform repayment requests of a loan (funder)',
        params: idParams,
        response: { 200: z.array(loanRequestSchema), ...errorResponses },
      },
    },
    (request) => listLoanRequests(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/loans/:id/checks',
    {
      schema: {
        tags,
        summary: '贷后检查 reports of a loan (funder)',
        params: idParams,
        response: { 200: z.array(postLoanCheckSchema), ...errorResponses },
      },
    },
    (request) => listPostLoanChecks(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/loans/:id/checks',
    {
      schema: {
        tags,
        summary: 'Record a post-loan check (multipart: conclusion, findings, optional file)',
        params: idParams,
        consumes: ['multipart/form-data', 'application/json'],
        response: { 201: postLoanCheckCreatedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const fields: Record<string, string> = {};
      let file: { fileName: string; content: Buffer } | undefined;
      if (request.isMultipart()) {
        for await (const part of request.parts({ limits: { fileSize: 10 * 1024 * 1024, files: 1 } })) {
          if (part.type === 'file') file = { fileName: part.filename, content: await part.toBuffer() };
          else fields[part.fieldname] = String(part.value);
        }
      } else Object.assign(fields, request.body as Record<string, string>);
      const parsed = z
        .object({ conclusion: z.enum(['normal', 'attention', 'risk']), findings: z.string().trim().min(1).max(4000) })
        .safeParse(fields);
      if (!parsed.success)
        throw new AppError('VALIDATION_FAILED', {
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      return request.writeOnce(reply, { file: file?.content, fields: { ...fields, fileName: file?.fileName ?? '' } }, async () =>
        reply.code(201).send(await addPostLoanCheck(request.ctx, request.params.id, { ...parsed.data, attachment: file })),
      );
    },
  );
  app.get(
    '/api/v1/loans/:id/checks/:checkId/report',
    {
      schema: {
        tags,
        summary: 'Download a post-loan check report',
        params: idParams.extend({ checkId: z.string().uuid() }),
        response: { 200: fileResponse('The report as it was attached', ['application/octet-stream']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await downloadPostLoanReport(request.ctx, request.params.id, request.params.checkId);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .send(file.content);
    },
  );

  app.get(
    '/api/v1/collections',
    {
      schema: {
        tags,
        summary: '催收: open collection cases of your loans (funder)',
        querystring: z.object({ status: z.enum(['open', 'promised', 'escalated', 'resolved', 'written_off']).optional() }),
        response: { 200: z.array(collectionCaseListItemSchema), ...errorResponses },
      },
    },
    (request) => listCollectionCases(request.ctx, request.query),
  );
  app.get(
    '/api/v1/collections/:id',
    {
      schema: {
        tags,
        summary: 'A collection case with its actions',
        params: idParams,
        response: { 200: collectionCaseSchema, ...errorResponses },
      },
    },
    (request) => getCollectionCase(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/collections/:id/actions',
    {
      schema: {
        tags,
        summary: 'Record a call, visit, letter, promise to pay or escalation',
        params: idParams,
        body: z.object({
          kind: z.enum(['call', 'visit', 'letter', 'sms', 'promise', 'escalate', 'note']),
          note: z.string().trim().min(1).max(2000),
          promisedDate: date.optional(),
          promisedAmount: amount.optional(),
        }),
        response: { 201: collectionCaseSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await addCollectionAction(request.ctx, request.params.id, request.body)),
  );

  app.get(
    '/api/v1/eod/runs',
    { schema: { tags, summary: 'End-of-day runs (the newest 60)', response: { 200: z.array(eodRunSchema), ...errorResponses } } },
    (request) => listRuns(request.ctx),
  );
  app.get(
    '/api/v1/eod/runs/:date',
    {
      schema: {
        tags,
        summary: 'One run with its progress',
        params: z.object({ date }),
        response: { 200: eodRunSchema, ...errorResponses },
      },
    },
    (request) => getRun(request.ctx, request.params.date),
  );
  app.post(
    '/api/v1/eod/runs',
    {
      schema: {
        tags,
        summary: 'Start end-of-day for the current business date (operator); poll the run for progress',
        body: z.object({ businessDate: date }),
        response: { 202: eodRunSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await startEod(request.ctx, request.body.businessDate)),
  );

  app.get(
    '/api/v1/reports/:name',
    {
      schema: {
        tags: ['reports'],
        summary: `Reports: ${REPORTS.join(', ')}`,
        params: z.object({ name: z.enum(REPORTS) }),
        querystring: reportQuery,
        response: { 200: reportSchema, ...errorResponses },
      },
    },
    (request) => buildReport(request.ctx, request.params.name, request.query),
  );
  app.get(
    '/api/v1/reports/:name/xlsx',
    {
      schema: {
        tags: ['reports'],
        summary: 'A report as an Excel workbook',
        params: z.object({ name: z.enum(REPORTS) }),
        querystring: reportQuery,
        response: { 200: fileResponse('The report as a workbook', [XLSX_CONTENT_TYPE]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await buildReport(request.ctx, request.params.name, request.query);
      const file = await reportWorkbook(report, request.locale);
      return reply
        .header('content-type', XLSX_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="${request.params.name}.xlsx"`)
        .send(file);
    },
  );
}
