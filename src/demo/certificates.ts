/**
 * Demo receivables, factoring and digital debt certificates, close to seed 004's example: 华东重工 issues
 * 60,000,000.00 for six months to 精工钢材 against confirmed payables; 精工钢材 passes parts to its tier-2
 * suppliers 宏达铸造 and 锐达机电, 宏达铸造 passes a part to its tier-3 supplier 华强五金; pieces are financed at
 * 浦江银行, 长江银行 and 中链保理 after competing quotes. A smaller certificate matures inside the demo's history
 * and is paid and cleared to every holder; a new one waits for 精工钢材's signature. All through the services.
 *
 * Dual control (双人复核): 华东重工's issues and payments are approved by its checker (core.checker), 精工钢材's quote
 * acceptances and its transfers above 10,000,000.00 (a threshold it set) by supplier.checker; the tier-2 suppliers,
 * with nobody to check, let one person accept quotes up to 10,000,000.00.
 */
import type { Ctx } from '../kernel/context';
import { addDays, addMonths, type BusinessDate } from '../kernel/dates';
import { parseAmountMinor } from '../kernel/money';
import { listLines } from '../modules/credit';
import { setDualControlRule } from '../modules/workflow';
import { checked } from './checker';
import {
  acceptQuote,
  getCertificate,
  issueCertificate,
  payAndClear,
  quote,
  requestFinancing,
  respondToCertificate,
  transferPiece,
} from '../modules/certificates';
import {
  acceptFactoring,
  confirmReceivable,
  createDocument,
  fundFactoring,
  offerFactoring,
  requestFactoring,
} from '../modules/receivables';

type As = (user: string) => Ctx;

let invoiceNo = 0;

/** 精工钢材 invoices 华东重工, which confirms the payable (确权). */
async function confirmedPayable(
  as: As,
  ids: Record<string, string>,
  amount: string,
  issued: BusinessDate,
  due: BusinessDate,
): Promise<string> {
  invoiceNo += 1;
  const doc = await createDocument(as('supplier'), {
    kind: 'invoice',
    counterpartyOrgId: ids.core!,
    docNo: `FP${issued.replace(/-/g, '')}${String(invoiceNo).padStart(4, '0')}`,
    issueDate: issued,
    dueDate: due,
    amount,
    description: '钢板、型材供货（增值税专用发票）',
  });
  await confirmReceivable(as('core'), doc.receivableId!, {});
  return doc.receivableId!;
}

/** The live piece `user` holds on a certificate (the largest one). */
async function pieceOf(as: As, user: string, certificateId: string): Promise<string> {
  const ctx = as(user);
  const cert = await getCertificate(ctx, certificateId);
  const mine = cert.pieces
    .filter((p) => p.holderOrgId === ctx.actor.orgId && p.status === 'live')
    .sort((a, b) => {
      const d = parseAmountMinor(b.amount, 'CNY') - parseAmountMinor(a.amount, 'CNY');
      return d > 0n ? 1 : d < 0n ? -1 : 0;
    });
  if (!mine[0]) throw new Error(`demo: ${user} holds nothing on ${cert.certNo}`);
  return mine[0].id;
}

/** The holder asks for financing; the given funders quote; the holder takes the first quote (the best in the demo). */
async function finance(
  as: As,
  holder: string,
  certificateId: string,
  amount: string,
  quotes: [user: string, rate: string, fee: string][],
): Promise<void> {
  const request = await requestFinancing(as(holder), await pieceOf(as, holder, certificateId), { amount });
  const offered = [];
  for (const [user, discountRate, fee] of quotes) offered.push(await quote(as(user), request.id, { discountRate, fee }));
  await checked(as, `${holder}.checker`, await acceptQuote(as(holder), offered[0]!.id));
}

/** 华东重工's checker approves an issue; answers the certificate's id. */
async function issued(as: As, result: unknown): Promise<{ id: string }> {
  const made = await checked(as, 'core.checker', result);
  return { id: (made.certificateId ?? made.id) as string };
}

export interface CertificateDemo {
  /** Called by the end-of-day loop for each business day of the demo history. */
  onDay(date: BusinessDate): Promise<void>;
}

export async function seedCertificates(as: As, ids: Record<string, string>, start: BusinessDate): Promise<CertificateDemo> {
  const core = as('core');
  const line = (await listLines(core, { role: 'held', rootsOnly: true, limit: 100, offset: 0 })).find(
    (l) => l.status === 'active' && l.products.includes('certificate'),
  );
  if (!line) throw new Error('demo: the certificate line of 华东重工 is missing');
  // 精工钢材 has a checker for transfers above 10,000,000.00; the small tier-2 suppliers have none, so one person
  // accepts their financing quotes up to 10,000,000.00 (issues, payments and quotes need a checker by default)
  await setDualControlRule(as('supplier'), { action: 'certificate.transfer', currency: 'CNY', threshold: '10000000.00' });
  for (const user of ['supplier2', 'supplier3', 'supplier4'])
    await setDualControlRule(as(user), { action: 'certificate.accept_quote', currency: 'CNY', threshold: '10000000.00' });

  // Factoring: 精工钢材 sells a confirmed receivable to 中链保理 (with recourse); the notice goes to 华东重工.
  const factored = await confirmedPayable(as, ids, '4000000.00', start, addDays(start, 90));
  const deal = await requestFactoring(as('supplier'), { receivableId: factored, factorOrgId: ids.factor!, recourse: true });
  await offerFactoring(as('factor'), deal.id, { advanceRate: '0.8', annualRate: '0.065', fee: '8000.00' });
  await acceptFactoring(as('supplier'), deal.id);
  await fundFactoring(as('factor'), deal.id);

  // The large certificate of the seed's example: 60,000,000.00 for six months.
  const backing = [
    await confirmedPayable(as, ids, '25000000.00', start, addMonths(start, 6)),
    await confirmedPayable(as, ids, '20000000.00', start, addMonths(start, 6)),
    await confirmedPayable(as, ids, '16500000.00', start, addMonths(start, 6)),
  ];
  const big = await issued(
    as,
    await issueCertificate(core, {
      holderOrgId: ids.sup1!,
      face: '60000000.00',
      maturityDate: addMonths(start, 6),
      creditLineId: line.id,
      receivableIds: backing,
    }),
  );
  await respondToCertificate(as('supplier'), big.id, true);
  // above 精工钢材's threshold: its checker approves the transfer
  await checked(
    as,
    'supplier.checker',
    await transferPiece(as('supplier'), await pieceOf(as, 'supplier', big.id), { toOrgId: ids.sup4!, amount: '12000000.00' }),
  );
  await transferPiece(as('supplier'), await pieceOf(as, 'supplier', big.id), { toOrgId: ids.sup8!, amount: '8000000.00' });
  await transferPiece(as('supplier2'), await pieceOf(as, 'supplier2', big.id), { toOrgId: ids.sup7!, amount: '3500000.00' });
  await finance(as, 'supplier', big.id, '20000000.00', [
    ['bank', '0.0385', '2000.00'],
    ['factor', '0.0450', '0.00'],
  ]);
  await finance(as, 'supplier2', big.id, '6000000.00', [
    ['bank2', '0.0410', '1000.00'],
    ['bank', '0.0425', '1000.00'],
  ]);
  await finance(as, 'supplier4', big.id, '5000000.00', [['factor', '0.0520', '500.00']]);

  // A smaller certificate that matures inside the demo history: paid and cleared to every holder.
  const small = await issued(
    as,
    await issueCertificate(core, {
      holderOrgId: ids.sup1!,
      face: '3000000.00',
      maturityDate: addDays(start, 30),
      creditLineId: line.id,
      receivableIds: [await confirmedPayable(as, ids, '3000000.00', start, addDays(start, 30))],
    }),
  );
  await respondToCertificate(as('supplier'), small.id, true);
  await transferPiece(as('supplier'), await pieceOf(as, 'supplier', small.id), { toOrgId: ids.sup4!, amount: '1000000.00' });
  await finance(as, 'supplier', small.id, '1500000.00', [['factor', '0.0480', '300.00']]);

  let pending = false;
  return {
    async onDay(date) {
      if (date === addDays(start, 30)) await checked(as, 'core.checker', await payAndClear(core, small.id));
      if (date === addDays(start, 40) && !pending) {
        pending = true;
        const receivable = await confirmedPayable(as, ids, '5200000.00', date, addMonths(date, 3));
        await issued(
          as,
          await issueCertificate(core, {
            holderOrgId: ids.sup1!,
            face: '5000000.00',
            maturityDate: addMonths(date, 3),
            creditLineId: line.id,
            receivableIds: [receivable],
          }),
        );
        // confirmed payables left free: 精工钢材 may factor them or pledge them for a loan (RECV-PLEDGE)
        await confirmedPayable(as, ids, '8000000.00', date, addMonths(date, 4));
        await confirmedPayable(as, ids, '4500000.00', date, addMonths(date, 5));
      }
    },
  };
}
