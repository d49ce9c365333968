/** 融资担保: thin routes over projects.ts, entries.ts, counter-guarantees.ts and eod.ts (docs/API.md, 融资担保). */
import { z } from 'zod';
import { errorResponses, idParams, type App } from '../../kernel/http';
import { requirePermission } from '../../kernel/permissions';
import { activeUsersWithRole } from '../identity';
import { addCounterGuarantee, moveCustody } from './counter-guarantees';
import { projectDetail } from './detail';
import { getSettings, updateSettings } from './eod';
import { enterEntry, listEntries } from './entries';
import {
  acceptProject,
  applyForGuarantee,
  closeProject,
  confirmLoan,
  listProjects,
  recordNotes,
  releaseGuarantee,
  signContract,
  withdrawProject,
} from './projects';
import {
  acceptBody,
  applyBody,
  cgParams,
  confirmBody,
  counterGuaranteeBody,
  counterGuaranteeSchema,
  custodyBody,
  entryBody,
  entryListQuery,
  entrySchema,
  notesBody,
  officersSchema,
  projectDetailSchema,
  projectListQuery,
  projectSchema,
  settingsBody,
  settingsSchema,
  signBody,
} from './schemas';

const tags = ['guarantee'];
const P = '/api/v1/guarantee';
const detail = { 200: projectDetailSchema, ...errorResponses };

export async function guaranteeRoutes(app: App): Promise<void> {
  app.post(
    `${P}/projects`,
    {
      schema: {
        tags,
        summary:
          "担保申请: an enterprise applies to a guarantor (guarantorOrgId), or the guarantor's officer enters it for its customer (applicantOrgId). 409 GUARANTEE_NOT_CUSTOMER",
        body: applyBody,
        response: { 201: projectDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = await applyForGuarantee(request.ctx, request.body);
      return reply.code(201).send(await projectDetail(request.ctx, id));
    },
  );
  app.get(
    `${P}/projects`,
    {
      schema: {
        tags,
        summary: 'Projects the caller is the guarantor, applicant or (from the contract on) lender of',
        querystring: projectListQuery,
        response: { 200: z.array(projectSchema), ...errorResponses },
      },
    },
    (request) => listProjects(request.ctx, request.query),
  );
  app.get(
    `${P}/projects/:id`,
    {
      schema: {
        tags,
        summary:
          'A project with its fee schedule and loan facts; for the guarantor also its review case, counter-guarantees, 台账 and balances (null for anybody else)',
        params: idParams,
        response: detail,
      },
    },
    (request) => projectDetail(request.ctx, request.params.id),
  );
  const action = <B extends z.ZodType>(
    path: string,
    summary: string,
    body: B | undefined,
    run: (ctx: Parameters<typeof projectDetail>[0], id: string, body: z.infer<B>) => Promise<unknown>,
  ) =>
    app.post(
      `${P}/projects/:id/${path}`,
      { schema: { tags, summary, params: idParams, ...(body ? { body } : {}), response: detail } },
      async (request) => {
        await run(request.ctx, request.params.id, (request.body ?? {}) as z.infer<B>);
        return projectDetail(request.ctx, request.params.id);
      },
    );
  action(
    'accept',
    '受理: the guarantor names the A角 and B角, the weighting class and the fee terms; the review flow guarantee_project starts (初审 → 复审 → 审保会). 409 ILLEGAL_TRANSITION',
    acceptBody,
    acceptProject,
  );
  action('notes', "The guarantor's risk notes and 审保会 minutes (never answered to the applicant or the lender)", notesBody, recordNotes);
  action('sign', '签约: the guarantee contract, after the fees are collected. 409 ILLEGAL_TRANSITION', signBody, signContract);
  action(
    'confirm-loan',
    '放款确认: the lender (an off-platform lender: the guarantor for it) confirms the loan, naming its loan on the platform; the guarantee is in force. 409 GUARANTEE_LOAN_MISMATCH, GUARANTEE_LOAN_TAKEN, ILLEGAL_TRANSITION',
    confirmBody,
    confirmLoan,
  );
  action(
    'release',
    '解保: confirmed by the lender (the guarantor for an off-platform lender). 409 ILLEGAL_TRANSITION',
    undefined,
    releaseGuarantee,
  );
  action('close', '追偿终结: the guarantor closes a compensated project. 409 ILLEGAL_TRANSITION', undefined, closeProject);
  action('withdraw', 'The applicant or the guarantor withdraws an application. 409 ILLEGAL_TRANSITION', undefined, withdrawProject);
  // --- 台账 -------------------------------------------------------------------------------------------------------
  app.post(
    `${P}/projects/:id/entries`,
    {
      schema: {
        tags,
        summary:
          "录入台账: the project's A角 enters a money entry (review fee, fee installment, margin in / refund, compensation, recovery); posted to the ledger after risk control's and finance's checks (flow guarantee_ledger_check). 403 GUARANTEE_NOT_OFFICER_A; 409 GUARANTEE_ENTRY_NOT_ALLOWED, GUARANTEE_ENTRY_PENDING, GUARANTEE_AMOUNT_EXCEEDED",
        params: idParams,
        body: entryBody,
        response: { 201: entrySchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await enterEntry(request.ctx, request.params.id, request.body)),
  );
  app.get(
    `${P}/entries`,
    {
      schema: {
        tags,
        summary: "台账: the guarantor's entries with their check state (checking, posted; rejected on asking)",
        querystring: entryListQuery,
        response: { 200: z.array(entrySchema), ...errorResponses },
      },
    },
    (request) => listEntries(request.ctx, request.query),
  );
  // --- 反担保 -----------------------------------------------------------------------------------------------------
  app.post(
    `${P}/projects/:id/counter-guarantees`,
    {
      schema: {
        tags,
        summary:
          '反担保: a counter-guarantee of the project (a warehouse receipt or lot of inventory named by id must be one the caller sees)',
        params: idParams,
        body: counterGuaranteeBody,
        response: { 201: counterGuaranteeSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await addCounterGuarantee(request.ctx, request.params.id, request.body)),
  );
  app.post(
    `${P}/projects/:id/counter-guarantees/:cgId/custody`,
    {
      schema: {
        tags,
        summary: "入库 / 出库 of a counter-guarantee's documents. 409 ILLEGAL_TRANSITION (already in / out)",
        params: cgParams,
        body: custodyBody,
        response: { 200: counterGuaranteeSchema, ...errorResponses },
      },
    },
    (request) => moveCustody(request.ctx, request.params.id, request.params.cgId, request.body),
  );
  // --- settings and officers --------------------------------------------------------------------------------------
  app.get(
    `${P}/settings`,
    { schema: { tags, summary: "The guarantor's settings", response: { 200: settingsSchema, ...errorResponses } } },
    (request) => getSettings(request.ctx),
  );
  app.put(
    `${P}/settings`,
    {
      schema: {
        tags,
        summary: "The guarantor's days overdue that raise a compensation demand (an admin; audited)",
        body: settingsBody,
        response: { 200: settingsSchema, ...errorResponses },
      },
    },
    (request) => updateSettings(request.ctx, request.body),
  );
  app.get(
    `${P}/officers`,
    {
      schema: {
        tags,
        summary: "The guarantor's officers who may be a project's A角 or B角",
        response: { 200: officersSchema, ...errorResponses },
      },
    },
    async (request) => {
      requirePermission(request.ctx.actor, 'loan:read');
      const users = await activeUsersWithRole(request.ctx.db, request.ctx.actor.orgId, 'officer');
      return users.map((u) => ({ ...u, roles: ['officer'] }));
    },
  );
}
