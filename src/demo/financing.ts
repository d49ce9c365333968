/**
 * Demo financing: approval flows and products of the funders, cash in their settlement accounts, and a few
 * loans that lived through 45 business days of end-of-day — one repaid on time, one overdue (关注), one
 * closed at maturity, one new — all made through the real services (applications, approvals, contracts,
 * drawdowns, repayments, EOD).
 */
import type { Ctx } from '../kernel/context';
import { addDays, daysBetween, type BusinessDate } from '../kernel/dates';
import { currentBusinessDate } from '../modules/calendar';
import { listLines } from '../modules/credit';
import {
  amountDueNow,
  createApplication,
  getApplication,
  recordDueDiligence,
  repay,
  requestDrawdown,
  runEod,
  signContract,
  submitApplication,
  uploadApplicationDocument,
} from '../modules/financing';
import { recordCashMovement } from '../modules/ledger';
import { createProduct, publishVersion } from '../modules/products';
import { decideTask, inbox, saveDefinition } from '../modules/workflow';
import { demoDocument } from './documents';

type As = (user: string) => Ctx;

/**
 * 初审 by a risk officer, 复审 by a senior approver — both with the approver role, and never the same person (nobody
 * decides two steps of one case), never the officer who prepared the case (its due diligence) or the applicant.
 */
const TWO_LEVEL = {
  steps: [
    { key: 'first_review', name: '初审', type: 'approve', assignees: { org: 'owner', role: 'approver' }, dueHours: 24 },
    { key: 'second_review', name: '复审', type: 'approve', assignees: { org: 'owner', role: 'approver' }, dueHours: 48 },
  ],
  greenChannel: { roles: ['admin'] },
};
const ONE_LEVEL = {
  steps: [{ key: 'review', name: '审批', type: 'approve', assignees: { org: 'owner', role: 'approver' }, dueHours: 24 }],
};

export async function seedFlows(as: As, owners: { user: string }[]): Promise<void> {
  for (const { user } of owners) {
    const ctx = as(user);
    await saveDefinition(ctx, { key: 'loan_approval', name: '贷款审批（两级）', definition: TWO_LEVEL, publish: true });
    await saveDefinition(ctx, { key: 'drawdown_approval', name: '支用审批', definition: ONE_LEVEL, publish: true });
    await saveDefinition(ctx, { key: 'write_off_approval', name: '核销审批', definition: TWO_LEVEL, publish: true });
    await saveDefinition(ctx, { key: 'classification_approval', name: '五级分类调整审批', definition: ONE_LEVEL, publish: true });
    await saveDefinition(ctx, { key: 'off_platform_repayment_approval', name: '线下还款登记复核', definition: ONE_LEVEL, publish: true });
  }
}

export async function product(ctx: Ctx, code: string, name: string, mode: string, terms: Record<string, unknown>): Promise<string> {
  const created = await createProduct(ctx, { code, name, mode: mode as never, terms });
  await publishVersion(ctx, created.id, 1);
  return created.id;
}

/** Decides every open task on `subjectId` the given users can decide, in order (the two-level approval). */
async function approve(as: As, users: string[], subjectId: string): Promise<void> {
  for (const user of users) {
    const ctx = as(user);
    const task = (await inbox(ctx)).find((t) => t.subjectId === subjectId);
    if (!task) throw new Error(`demo: no task for ${user} on ${subjectId}`);
    await decideTask(ctx, task.id, 'approve', '同意');
  }
}

export interface DemoLoan {
  borrower: string;
  funderOrgId: string;
  productId: string;
  amount: string;
  termMonths: number;
  lineHolderOrg?: string;
  /** officer: prepares (due diligence, signs); checker: 初审; head: 复审 */
  funder: { officer: string; checker: string; head: string };
  day: number;
  docs: string[];
  /** goods modes: the lots or receipts pledged, static or dynamic, the minimum controlled value */
  goods?: { lotIds?: string[]; receiptIds?: string[]; pledgeKind?: 'static' | 'dynamic'; minControlledValue?: string };
}

export async function makeLoan(as: As, spec: DemoLoan): Promise<string> {
  const borrower = as(spec.borrower);
  const line = spec.lineHolderOrg
    ? (await listLines(borrower, { role: 'held', rootsOnly: false, limit: 100, offset: 0 })).find(
        (l) => l.status === 'active' && l.funderOrgId === spec.funderOrgId,
      )?.id
    : undefined;
  const app = await createApplication(borrower, {
    productId: spec.productId,
    amount: spec.amount,
    termMonths: spec.termMonths,
    purpose: '采购原材料及支付货款',
    creditLineId: line,
    ...spec.goods,
  });
  // the product's required documents, each a real (small) PDF
  for (const kind of spec.docs)
    await uploadApplicationDocument(borrower, app.id, { kind, ...(await demoDocument(kind, app.borrowerName ?? '')) });
  await recordDueDiligence(as(spec.funder.officer), app.id, {
    summary: '实地走访经营场所，库存与销售台账一致，核心企业确认贸易背景。',
    rating: 'A',
    recommendation: 'approve',
  });
  await submitApplication(borrower, app.id);
  await approve(as, [spec.funder.checker, spec.funder.head], app.id);
  await signContract(borrower, app.id);
  await signContract(as(spec.funder.officer), app.id);
  const drawdown = await requestDrawdown(borrower, app.id, { amount: spec.amount });
  await approve(as, [spec.funder.checker], drawdown.id);
  const after = await getApplication(borrower, app.id);
  return after.loans[0]!.id;
}

/** Cash in the settlement accounts: the funders' positions and some sales receipts of the borrowers. */
export async function seedCash(as: As, ids: Record<string, string>): Promise<void> {
  const operator = as('operator');
  for (const org of ['bank1', 'bank2', 'factor']) {
    await recordCashMovement(operator, {
      orgId: ids[org]!,
      currency: 'CNY',
      amount: '2000000000.00',
      direction: 'deposit',
      reference: `资金头寸注入 ${org}`,
    });
  }
  for (const org of ['dea1', 'dea2', 'dea3', 'sup1']) {
    await recordCashMovement(operator, {
      orgId: ids[org]!,
      currency: 'CNY',
      amount: '2000000.00',
      direction: 'deposit',
      reference: `销售回款 ${org}`,
    });
  }
  await recordCashMovement(operator, {
    orgId: ids.core!,
    currency: 'CNY',
    amount: '80000000.00',
    direction: 'deposit',
    reference: '核心企业结算户入金',
  });
}

export async function seedFinancing(
  as: As,
  ids: Record<string, string>,
  today: BusinessDate,
  startDate: BusinessDate,
  onDay?: (date: BusinessDate) => Promise<void>,
): Promise<void> {
  await seedFlows(as, [{ user: 'bank' }, { user: 'bank2' }, { user: 'factor' }, { user: 'operator' }]);
  const bank = as('bank');
  const bdc = await product(bank, 'BDC-LOAN', '保兑仓流动资金贷款', 'confirming_storage', {
    currency: 'CNY',
    minAmount: '1000000.00',
    maxAmount: '50000000.00',
    minTermMonths: 3,
    maxTermMonths: 12,
    annualRate: '0.0435',
    defaultRate: '0.06525',
    dayCount: 'ACT_360',
    repaymentMethod: 'interest_monthly',
    fees: [{ code: 'HANDLING', name: '手续费', basis: 'ratio', value: '0.001', frequency: 'upfront' }],
    requiredDocuments: ['business_licence', 'purchase_contract'],
    requiresCreditLine: true,
  });
  await product(bank, 'ORDER-LOAN', '订单融资', 'order', {
    currency: 'CNY',
    minAmount: '500000.00',
    maxAmount: '20000000.00',
    minTermMonths: 6,
    maxTermMonths: 12,
    annualRate: '0.052',
    defaultRate: '0.078',
    dayCount: 'ACT_360',
    repaymentMethod: 'equal_installment',
    requiredDocuments: ['purchase_order'],
    requiresCreditLine: false,
  });
  await product(as('bank2'), 'INV-PLEDGE', '动产质押贷款', 'inventory', {
    currency: 'CNY',
    minAmount: '1000000.00',
    maxAmount: '30000000.00',
    minTermMonths: 3,
    maxTermMonths: 12,
    annualRate: '0.048',
    defaultRate: '0.072',
    dayCount: 'ACT_365',
    repaymentMethod: 'equal_principal',
    requiredDocuments: ['warehouse_receipt'],
    requiresCreditLine: false,
    marginRatio: '0.3',
  });
  await product(bank, 'RECV-PLEDGE', '应收账款质押贷款', 'receivables', {
    currency: 'CNY',
    minAmount: '100000.00',
    maxAmount: '20000000.00',
    minTermMonths: 1,
    maxTermMonths: 6,
    annualRate: '0.05',
    defaultRate: '0.075',
    dayCount: 'ACT_360',
    repaymentMethod: 'bullet',
    requiredDocuments: ['invoice'],
    requiresCreditLine: false,
    pledgeRate: '0.8',
  });
  const factoring = await product(as('factor'), 'FACTORING-A', '应收账款保理融资', 'factoring', {
    currency: 'CNY',
    minAmount: '100000.00',
    maxAmount: '20000000.00',
    minTermMonths: 1,
    maxTermMonths: 6,
    annualRate: '0.06',
    defaultRate: '0.09',
    dayCount: 'ACT_360',
    repaymentMethod: 'bullet',
    requiredDocuments: ['invoice', 'confirmation'],
    requiresCreditLine: true,
  });

  const operator = as('operator');

  const bankStaff = { officer: 'bank', checker: 'bank.checker', head: 'bank.head' };
  const onTime = await makeLoan(as, {
    borrower: 'dealer',
    funderOrgId: ids.bank1!,
    productId: bdc,
    amount: '10000000.00',
    termMonths: 6,
    lineHolderOrg: ids.dea1,
    funder: bankStaff,
    day: 0,
    docs: ['business_licence', 'purchase_contract'],
  });
  const late = await makeLoan(as, {
    borrower: 'dealer2',
    funderOrgId: ids.bank1!,
    productId: bdc,
    amount: '5000000.00',
    termMonths: 6,
    lineHolderOrg: ids.dea2,
    funder: bankStaff,
    day: 0,
    docs: ['business_licence', 'purchase_contract'],
  });
  const factored = await makeLoan(as, {
    borrower: 'supplier',
    funderOrgId: ids.factor!,
    productId: factoring,
    amount: '3000000.00',
    termMonths: 1,
    lineHolderOrg: ids.sup1,
    funder: { officer: 'factor', checker: 'factor.checker', head: 'factor.head' },
    day: 0,
    docs: ['invoice', 'confirmation'],
  });
  void late;

  // 45 business days of end-of-day. The on-time dealer pays each installment on its due date; the factored
  // supplier repays at maturity; the other dealer never pays and ages into 关注.
  let fresh: string | undefined;
  for (let date = startDate; daysBetween(date, today) > 0; date = addDays(date, 1)) {
    for (const [user, loanId] of [
      ['dealer', onTime],
      ['supplier', factored],
    ] as const) {
      const due = await amountDueNow(as(user), loanId);
      if (due !== null && due !== '0.00') await repay(as(user), loanId, { amount: due });
    }
    if (daysBetween(startDate, date) === 35 && !fresh) {
      fresh = await makeLoan(as, {
        borrower: 'dealer3',
        funderOrgId: ids.bank1!,
        productId: bdc,
        amount: '8000000.00',
        termMonths: 12,
        lineHolderOrg: ids.dea3,
        funder: bankStaff,
        day: 35,
        docs: ['business_licence', 'purchase_contract'],
      });
    }
    await onDay?.(date);
    await runEod(operator, await currentBusinessDate(operator));
  }
}
