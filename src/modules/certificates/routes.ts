/** HTTP routes: digital debt certificates — issue, respond, cancel, transfer/split, financing marketplace, clearing, lineage. */
import { z } from 'zod';
import {
  amountSchema as amount,
  dateSchema as date,
  errorResponses,
  fileResponse,
  idParams,
  XLSX_CONTENT_TYPE,
  type App,
} from '../../kernel/http';
import { isPendingApproval, pendingApprovalSchema } from '../workflow';
import { lineageTree, lineageWorkbook, portfolio } from './lineage';
import {
  acceptQuote,
  withdrawQuote,
  cancelCertificate,
  cancelFinancingRequest,
  getCertificate,
  issueCertificate,
  listCertificates,
  openFinancingRequests,
  payAndClear,
  quote,
  reconciliation,
  requestFinancing,
  respondToCertificate,
  transferPiece,
} from './service';
import {
  certificateDetailSchema,
  certificateSchema,
  financingRequestCancelledSchema,
  financingRequestSchema,
  lineageSchema,
  openFinancingRequestSchema,
  pieceTransferSchema,
  portfolioSchema,
  quoteAcceptedSchema,
  quoteSchema,
  quoteWithdrawnSchema,
  reconciliationSchema,
} from './schemas';

const rate = z.string().regex(/^0(\.\d{1,8})?$/);
const XLSX = XLSX_CONTENT_TYPE;

export async function certificateRoutes(app: App): Promise<void> {
  const tags = ['certificates'];
  app.get(
    '/api/v1/certificates',
    {
      schema: {
        tags,
        summary: 'Certificates you issued, hold(held) or funded; the operator sees all',
        querystring: z.object({
          role: z.enum(['issued', 'held', 'funded']).optional(),
          status: z.enum(['issued', 'accepted', 'rejected', 'cancelled', 'cleared', 'overdue']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
        response: { 200: z.array(certificateSchema), ...errorResponses },
      },
    },
    (request) => listCertificates(request.ctx, request.query),
  );
  app.post(
    '/api/v1/certificates',
    {
      schema: {
        tags,
        summary:
          '开立: issue a certificate to a tier-1 supplier against confirmed payables (occupies the certificate line); ' +
          "above your organisation's dual-control threshold (by default: any face) 202, waiting for a checker",
        body: z.object({
          holderOrgId: z.string().uuid(),
          face: amount,
          maturityDate: date,
          creditLineId: z.string().uuid(),
          receivableIds: z.array(z.string().uuid()).min(1).max(200),
        }),
        response: { 201: certificateDetailSchema, 202: pendingApprovalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await issueCertificate(request.ctx, request.body);
      return isPendingApproval(result) ? reply.code(202).send(result) : reply.code(201).send(result);
    },
  );
  app.get(
    '/api/v1/certificates/reconciliation',
    {
      schema: {
        tags,
        summary: 'For every visible certificate: face = Σ live pieces + Σ cleared amounts, and every split sums to its parent',
        response: { 200: reconciliationSchema, ...errorResponses },
      },
    },
    (request) => reconciliation(request.ctx),
  );
  app.get(
    '/api/v1/certificates/portfolio',
    { schema: { tags, summary: 'What you hold, by maturity month and by issuer', response: { 200: portfolioSchema, ...errorResponses } } },
    (request) => portfolio(request.ctx),
  );
  app.get(
    '/api/v1/certificates/financing-requests',
    {
      schema: {
        tags,
        summary: 'Open financing requests funders may quote',
        response: { 200: z.array(openFinancingRequestSchema), ...errorResponses },
      },
    },
    (request) => openFinancingRequests(request.ctx),
  );
  app.get(
    '/api/v1/certificates/:id',
    {
      schema: {
        tags,
        summary: 'A certificate with its pieces, events, financing and reconciliation',
        params: idParams,
        response: { 200: certificateDetailSchema, ...errorResponses },
      },
    },
    (request) => getCertificate(request.ctx, request.params.id),
  );
  app.get(
    '/api/v1/certificates/:id/lineage',
    {
      schema: { tags, summary: '溯源: the lineage tree of pieces', params: idParams, response: { 200: lineageSchema, ...errorResponses } },
    },
    async (request) => {
      const cert = await getCertificate(request.ctx, request.params.id);
      return {
        certificate: { id: cert.id, certNo: cert.certNo, face: cert.face, status: cert.status, issuerName: cert.issuerName },
        tree: lineageTree(cert),
        events: cert.events,
      };
    },
  );
  app.get(
    '/api/v1/certificates/:id/lineage.xlsx',
    {
      schema: {
        tags,
        summary: 'The lineage as an XLSX workbook',
        params: idParams,
        response: { 200: fileResponse('The workbook: summary, tree, events, clearing', [XLSX]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await lineageWorkbook(request.ctx, request.params.id, request.locale);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .send(file.content);
    },
  );
  app.post(
    '/api/v1/certificates/:id/accept',
    {
      schema: {
        tags,
        summary: '签收 by the first holder',
        params: idParams,
        response: { 200: certificateDetailSchema, ...errorResponses },
      },
    },
    (request) => respondToCertificate(request.ctx, request.params.id, true),
  );
  app.post(
    '/api/v1/certificates/:id/reject',
    {
      schema: {
        tags,
        summary: '拒收 by the first holder (releases the line and the payables)',
        params: idParams,
        response: { 200: certificateDetailSchema, ...errorResponses },
      },
    },
    (request) => respondToCertificate(request.ctx, request.params.id, false),
  );
  app.post(
    '/api/v1/certificates/:id/cancel',
    {
      schema: {
        tags,
        summary: '注销 by the issuer before acceptance (restores the line)',
        params: idParams,
        response: { 200: certificateDetailSchema, ...errorResponses },
      },
    },
    (request) => cancelCertificate(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/certificates/:id/pay',
    {
      schema: {
        tags,
        summary:
          '到期兑付: the issuer pays the face value; the platform clears to every current holder. ' +
          "Above your organisation's dual-control threshold (by default: any face) 202, waiting for a checker",
        params: idParams,
        response: { 200: certificateDetailSchema, 202: pendingApprovalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await payAndClear(request.ctx, request.params.id);
      return isPendingApproval(result) ? reply.code(202).send(result) : reply.code(200).send(result);
    },
  );
  app.post(
    '/api/v1/certificate-pieces/:id/transfer',
    {
      // the hot path: the group-committed transfer checks the Idempotency-Key and stores the answer with the write
      config: { idempotency: 'in-statement', answerStatus: (value: unknown) => (isPendingApproval(value) ? 202 : 201) },
      schema: {
        tags,
        summary:
          '转让 / 拆分: pass all or part of a piece to one of your own suppliers; ' +
          'above a dual-control threshold your organisation set (none by default) 202, waiting for a checker',
        params: idParams,
        body: z.object({ toOrgId: z.string().uuid(), amount }),
        response: { 201: pieceTransferSchema, 202: pendingApprovalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await transferPiece(request.ctx, request.params.id, request.body);
      return isPendingApproval(result) ? reply.code(202).send(result) : reply.code(201).send(result);
    },
  );
  app.post(
    '/api/v1/certificate-pieces/:id/financing-requests',
    {
      schema: {
        tags,
        summary: 'Offer all or part of a piece to funders for financing (贴现)',
        params: idParams,
        body: z.object({ amount }),
        response: { 201: financingRequestSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await requestFinancing(request.ctx, request.params.id, request.body)),
  );
  app.post(
    '/api/v1/certificates/financing-requests/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Withdraw an open financing request',
        params: idParams,
        response: { 200: financingRequestCancelledSchema, ...errorResponses },
      },
    },
    (request) => cancelFinancingRequest(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/certificates/financing-requests/:id/quotes',
    {
      schema: {
        tags,
        summary: 'A funder quotes: annual discount rate (ACT/360 to maturity) and fee',
        params: idParams,
        body: z.object({ discountRate: rate, fee: amount }),
        response: { 201: quoteSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await quote(request.ctx, request.params.id, request.body)),
  );
  app.post(
    '/api/v1/certificates/quotes/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'The funder withdraws its open quote',
        params: idParams,
        response: { 200: quoteWithdrawnSchema, ...errorResponses },
      },
    },
    (request) => withdrawQuote(request.ctx, request.params.id),
  );
  app.post(
    '/api/v1/certificates/quotes/:id/accept',
    {
      schema: {
        tags,
        summary:
          'The holder picks a quote: the funder pays and becomes holder of the financed part. ' +
          "Above your organisation's dual-control threshold (by default: any amount) 202, waiting for a checker",
        params: idParams,
        response: { 200: quoteAcceptedSchema, 202: pendingApprovalSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await acceptQuote(request.ctx, request.params.id);
      return isPendingApproval(result) ? reply.code(202).send(result) : reply.code(200).send(result);
    },
  );
}
