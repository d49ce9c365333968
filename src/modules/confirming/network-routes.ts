/** Networks (建网), dealers (入网) and agreements: thin routes over networks.ts, dealers.ts, agreements.ts (docs/API.md, 保兑仓). */
import { z } from 'zod';
import { errorResponses, fileResponse, idParams, type App } from '../../kernel/http';
import { agreementPdf, listAgreements, signAgreement } from './agreements';
import { getDealer, listDealers, patchDealer, recommendDealer, submitDealer } from './dealers';
import { DEALER_STATUSES, NETWORK_STATUSES } from './lifecycle';
import {
  agreementSchema,
  changeLimitBody,
  createNetworkBody,
  dealerSchema,
  networkDetailSchema,
  networkSchema,
  patchDealerBody,
  patchNetworkBody,
  recommendDealerBody,
  signBody,
} from './network-validators';
import { changeNetworkLimit, createNetwork, getNetwork, listNetworks, patchNetwork, submitNetwork } from './networks';

const tags = ['confirming'];
const P = '/api/v1/confirming';

export async function networkRoutes(app: App): Promise<void> {
  // --- networks ----------------------------------------------------------------------------------------------
  app.post(
    `${P}/networks`,
    {
      schema: {
        tags,
        summary: '建网: the core enterprise applies for a 保兑仓 network at a bank (status 01)',
        body: createNetworkBody,
        response: { 201: networkSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await createNetwork(request.ctx, request.body)),
  );
  app.patch(
    `${P}/networks/:id`,
    {
      schema: {
        tags,
        summary: 'The core edits its network while not submitted or after a rejection (01 / 02 → 01)',
        params: idParams,
        body: patchNetworkBody,
        response: { 200: networkSchema, ...errorResponses },
      },
    },
    (request) => patchNetwork(request.ctx, request.params.id, request.body),
  );
  app.post(
    `${P}/networks/:id/submit`,
    {
      schema: {
        tags,
        summary: "The core submits its network to the bank's approval flow cs_network (→ 03; approved 04, rejected 02)",
        params: idParams,
        response: { 200: networkSchema, ...errorResponses },
      },
    },
    (request) => submitNetwork(request.ctx, request.params.id),
  );
  app.post(
    `${P}/networks/:id/limit`,
    {
      schema: {
        tags,
        summary:
          "The bank changes the total guarantee limit (never below the dealers' recommended total: 409 CS_NETWORK_LIMIT_BELOW_RECOMMENDED); an approved network's line follows through a credit change for the bank's checker",
        params: idParams,
        body: changeLimitBody,
        response: { 200: networkSchema, ...errorResponses },
      },
    },
    (request) => changeNetworkLimit(request.ctx, request.params.id, request.body),
  );
  app.get(
    `${P}/networks`,
    {
      schema: {
        tags,
        summary: 'Networks the caller is in: the core its own, the bank its own, dealers theirs, the warehouse named; the operator all',
        querystring: z.object({ status: z.enum(NETWORK_STATUSES as ['01', '02', '03', '04']).optional() }),
        response: { 200: z.object({ items: z.array(networkSchema) }), ...errorResponses },
      },
    },
    (request) => listNetworks(request.ctx, request.query),
  );
  app.get(
    `${P}/networks/:id`,
    {
      schema: {
        tags,
        summary: 'A network with the dealers the caller may see in it and the agreements it is a party of',
        params: idParams,
        response: { 200: networkDetailSchema, ...errorResponses },
      },
    },
    (request) => getNetwork(request.ctx, request.params.id),
  );

  // --- dealers -----------------------------------------------------------------------------------------------
  app.post(
    `${P}/networks/:id/dealers`,
    {
      schema: {
        tags,
        summary: '入网: the core recommends a dealer into its network (status 01)',
        params: idParams,
        body: recommendDealerBody,
        response: { 201: dealerSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await recommendDealer(request.ctx, request.params.id, request.body)),
  );
  app.patch(
    `${P}/dealers/:id`,
    {
      schema: {
        tags,
        summary: 'The core edits a draft admission (01)',
        params: idParams,
        body: patchDealerBody,
        response: { 200: dealerSchema, ...errorResponses },
      },
    },
    (request) => patchDealer(request.ctx, request.params.id, request.body),
  );
  app.post(
    `${P}/dealers/:id/submit`,
    {
      schema: {
        tags,
        summary:
          "The core submits an admission (→ 03): its recommended limit is reserved in the network (409 CS_NETWORK_LIMIT_EXCEEDED when it does not fit) and the bank's admission flow starts",
        params: idParams,
        response: { 200: dealerSchema, ...errorResponses },
      },
    },
    (request) => submitDealer(request.ctx, request.params.id),
  );
  app.get(
    `${P}/dealers`,
    {
      schema: {
        tags,
        summary: "Dealers' admissions the caller may see (the network's core and bank; a dealer its own)",
        querystring: z.object({
          networkId: z.string().uuid().optional(),
          status: z.enum(DEALER_STATUSES as ['01', '02', '03', '04', '05', '06']).optional(),
        }),
        response: { 200: z.object({ items: z.array(dealerSchema) }), ...errorResponses },
      },
    },
    (request) => listDealers(request.ctx, request.query),
  );
  app.get(
    `${P}/dealers/:id`,
    { schema: { tags, summary: "A dealer's admission", params: idParams, response: { 200: dealerSchema, ...errorResponses } } },
    (request) => getDealer(request.ctx, request.params.id),
  );

  // --- agreements --------------------------------------------------------------------------------------------
  app.get(
    `${P}/agreements`,
    {
      schema: {
        tags,
        summary: 'Agreements of a network or a dealer the caller is a party of (四方协议, 回购, 质量保证, 仓储监管)',
        querystring: z.object({ networkId: z.string().uuid().optional(), dealerId: z.string().uuid().optional() }),
        response: { 200: z.object({ items: z.array(agreementSchema) }), ...errorResponses },
      },
    },
    (request) => listAgreements(request.ctx, request.query),
  );
  app.get(
    `${P}/agreements/:id/pdf`,
    {
      schema: {
        tags,
        summary: 'The agreement as generated (x-content-sha256: its SHA-256, the hash a party signs)',
        params: idParams,
        response: { 200: fileResponse('The agreement (x-content-sha256: its SHA-256)', ['application/pdf']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await agreementPdf(request.ctx, request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${file.fileName}"`)
        .header('x-content-sha256', file.sha256)
        .send(file.pdf);
    },
  );
  app.post(
    `${P}/agreements/:id/sign`,
    {
      schema: {
        tags,
        summary:
          'A party signs, once, the document it read (its SHA-256; another → 409 CS_AGREEMENT_CHANGED, twice → 409 CS_AGREEMENT_ALREADY_SIGNED)',
        params: idParams,
        body: signBody,
        response: { 200: agreementSchema, ...errorResponses },
      },
    },
    (request) => signAgreement(request.ctx, request.params.id, request.body),
  );
}
