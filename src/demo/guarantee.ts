/**
 * Demo 融资担保 (金盾担保), on the demo's last business day, all through the services as the users would:
 * - 金盾担保 publishes its own flows: the project review 初审 (风控 guarantor.checker) → 复审 (总经理 guarantor.head) →
 *   审保会 (guarantor.c1, .c2, .c3; quorum 2, pass ratio two thirds), and the 台账 checks 风控复核 → 财务复核
 *   (guarantor.finance). Its A角 is 'guarantor', its B角 'guarantor.b'.
 * - in force on 浦江银行's loan: 蜀道设备's 8,000,000.00 loan (the financing demo's fresh loan) is guaranteed — fees and
 *   margin posted after both checks, the contract signed, the bank confirming the loan by its number.
 * - in committee: 宏达铸造's 3,000,000.00 application, one member for, one against, the third vote outstanding.
 * - released: 宏达铸造's 1,000,000.00 with an off-platform lender (成都农商银行), released and its margin refunded.
 * - compensated: 蜀道设备's 2,000,000.00 at 浦江银行 defaulted: 1,200,000.00 compensated (the 200,000.00 margin set
 *   off first), the mortgaged plant realised for 600,000.00 — a partial recovery, 400,000.00 still receivable.
 * - applied: 蜀道设备's new application waiting to be accepted.
 */
import type { Ctx } from '../kernel/context';
import type { BusinessDate } from '../kernel/dates';
import { listLoans } from '../modules/financing';
import { findUserByUsername } from '../modules/identity';
import { addCounterGuarantee, moveCustody } from '../modules/guarantee/counter-guarantees';
import { projectDetail } from '../modules/guarantee/detail';
import { enterEntry, type EntryInput } from '../modules/guarantee/entries';
import {
  acceptProject,
  applyForGuarantee,
  confirmLoan,
  releaseGuarantee,
  signContract,
  type ApplyInput,
} from '../modules/guarantee/projects';
import { recordCashMovement } from '../modules/ledger';
import { decideTask, inbox, saveDefinition } from '../modules/workflow';

type As = (user: string) => Ctx;

async function decide(as: As, user: string, subjectId: string, decision: 'approve' | 'reject' = 'approve', comment = '同意') {
  const ctx = as(user);
  const task = (await inbox(ctx)).find((x) => x.subjectId === subjectId);
  if (!task) throw new Error(`demo: no task for ${user} on ${subjectId}`);
  await decideTask(ctx, task.id, decision, comment);
}

/** 金盾担保's own review flow: 初审 (风控), 复审 (总经理), 审保会 (three members, quorum 2, pass ratio two thirds). */
export const REVIEW_FLOW = {
  key: 'guarantee_project',
  name: '金盾担保项目评审（初审、复审、审保会）',
  publish: true,
  definition: {
    steps: [
      { key: 'first_review', name: '初审', type: 'approve', assignees: { org: 'owner', role: 'approver', users: ['guarantor.checker'] } },
      { key: 'second_review', name: '复审', type: 'approve', assignees: { org: 'owner', role: 'approver', users: ['guarantor.head'] } },
      {
        key: 'committee',
        name: '审保会',
        type: 'committee',
        assignees: { org: 'owner', role: 'approver', users: ['guarantor.c1', 'guarantor.c2', 'guarantor.c3'] },
        quorum: 2,
        passRatio: '0.6667',
        dueHours: 120,
      },
    ],
  },
};

/** Its 台账 checks: 风控复核 (guarantor.checker), then 财务复核 (guarantor.finance). */
export const LEDGER_CHECK_FLOW = {
  key: 'guarantee_ledger_check',
  name: '金盾担保台账复核（风控、财务）',
  publish: true,
  definition: {
    steps: [
      { key: 'risk_check', name: '风控复核', type: 'approve', assignees: { org: 'owner', role: 'approver', users: ['guarantor.checker'] } },
      {
        key: 'finance_check',
        name: '财务复核',
        type: 'approve',
        assignees: { org: 'owner', role: 'approver', users: ['guarantor.finance'] },
      },
    ],
  },
};

async function publishFlows(as: As) {
  await saveDefinition(as('guarantor'), REVIEW_FLOW);
  await saveDefinition(as('guarantor'), LEDGER_CHECK_FLOW);
}

interface Terms {
  feeMethod: 'ratio' | 'fixed';
  feeRate?: string;
  fee?: string;
  feeFrequency: 'one_off' | 'monthly' | 'quarterly' | 'annually';
  reviewFee: string;
  margin: string;
  riskNote: string;
}

async function accepted(as: As, applicant: string, input: ApplyInput, terms: Terms, today: BusinessDate) {
  const id = await applyForGuarantee(as(applicant), input);
  const a = (await findUserByUsername(as('guarantor').db, 'guarantor'))!;
  const b = (await findUserByUsername(as('guarantor').db, 'guarantor.b'))!;
  await acceptProject(as('guarantor'), id, { officerAUserId: a.id, officerBUserId: b.id, startDate: today, ...terms });
  await decide(as, 'guarantor.checker', id, 'approve', '初审：主体资格、经营情况核实无误，反担保措施可落实');
  await decide(as, 'guarantor.head', id, 'approve', '复审：同意提交审保会');
  return id;
}

async function approved(as: As, applicant: string, input: ApplyInput, terms: Terms, today: BusinessDate) {
  const id = await accepted(as, applicant, input, terms, today);
  await decide(as, 'guarantor.c1', id, 'approve', '同意');
  await decide(as, 'guarantor.c2', id, 'approve', '同意，落实抵押登记后放款');
  return id;
}

/** The A角 enters; 风控 and 财务 check: posted. */
async function posted(as: As, projectId: string, input: EntryInput) {
  const entry = await enterEntry(as('guarantor'), projectId, input);
  await decide(as, 'guarantor.checker', entry.id, 'approve', '风控复核无误');
  await decide(as, 'guarantor.finance', entry.id, 'approve', '财务已核对到账');
  return entry.id;
}

async function collected(as: As, projectId: string) {
  const p = await projectDetail(as('guarantor'), projectId);
  if (p.reviewFee !== '0.00') await posted(as, projectId, { kind: 'review_fee', note: '评审费' });
  if (p.margin !== '0.00') await posted(as, projectId, { kind: 'margin_in', note: '存入保证金' });
  if (p.installments[0]) await posted(as, projectId, { kind: 'guarantee_fee', installmentId: p.installments[0].id, note: '首期担保费' });
  await signContract(as('guarantor'), projectId, {});
}

export async function guaranteeDemo(as: As, ids: Record<string, string>, today: BusinessDate): Promise<void> {
  await publishFlows(as);
  const operator = as('operator');
  for (const [org, amount, reference] of [
    ['guarantor', '20000000.00', '金盾担保 代偿备付金'],
    ['dea3', '3000000.00', '蜀道设备 自有资金'],
    ['sup4', '1000000.00', '宏达铸造 自有资金'],
  ] as const)
    await recordCashMovement(operator, { orgId: ids[org]!, currency: 'CNY', amount, direction: 'deposit', reference });
  const base = { currency: 'CNY' as const, guarantorOrgId: ids.guarantor! };

  // 在保: 蜀道设备's fresh 8,000,000.00 loan at 浦江银行
  const loans = await listLoans(as('bank'), { q: '蜀道', limit: 50, offset: 0 });
  const loan = loans.items?.find((l: { borrowerOrgId: string; status: string }) => l.borrowerOrgId === ids.dea3 && l.status === 'current');
  const inForce = await approved(
    as,
    'dealer3',
    {
      ...base,
      lenderOrgId: ids.bank1!,
      amount: '8000000.00',
      termMonths: 12,
      purpose: '保兑仓项下采购装载机',
      repaymentSource: '装载机销售回款',
      weightingClass: 'other',
      proposedCounterGuarantees: '实际控制人个人连带责任保证；库存装载机抵押',
    },
    {
      feeMethod: 'ratio',
      feeRate: '0.015',
      feeFrequency: 'quarterly',
      reviewFee: '5000.00',
      margin: '800000.00',
      riskNote: '单户金额较大，关注经销网络回款周期',
    },
    today,
  );
  await addCounterGuarantee(as('guarantor'), inForce, {
    kind: 'guaranty',
    object: '实际控制人个人连带责任保证',
    ownerName: '陈志远',
    valuation: '5000000.00',
    valuationMethod: '个人资产调查',
    valuationDate: today,
  });
  await collected(as, inForce);
  await confirmLoan(as('bank'), inForce, loan ? { loanNo: loan.loanNo } : { loanRef: '浦江银行 BDC 借据' });

  // 审保会 in progress: one for, one against, the third vote outstanding
  const committee = await accepted(
    as,
    'supplier2',
    {
      ...base,
      lenderOrgId: ids.bank1!,
      amount: '3000000.00',
      termMonths: 12,
      purpose: '采购生铁、废钢原料',
      repaymentSource: '铸件销售回款（华东重工应收账款）',
      weightingClass: 'small_micro',
      proposedCounterGuarantees: '应收账款质押；厂房抵押',
    },
    {
      feeMethod: 'ratio',
      feeRate: '0.02',
      feeFrequency: 'monthly',
      reviewFee: '3000.00',
      margin: '300000.00',
      riskNote: '二级供应商，应收账款依赖核心企业确权',
    },
    today,
  );
  await decide(as, 'guarantor.c1', committee, 'approve', '同意：核心企业付款可靠');
  await decide(as, 'guarantor.c2', committee, 'reject', '不同意：资产负债率偏高，建议追加反担保');

  // 已解保: an off-platform lender, released and the margin refunded
  const released = await approved(
    as,
    'supplier2',
    {
      ...base,
      lenderName: '成都农村商业银行',
      amount: '1000000.00',
      termMonths: 6,
      purpose: '流动资金周转',
      repaymentSource: '经营收入',
      weightingClass: 'small_micro',
    },
    { feeMethod: 'fixed', fee: '9000.00', feeFrequency: 'one_off', reviewFee: '0', margin: '50000.00', riskNote: '续作客户，历史履约良好' },
    today,
  );
  await collected(as, released);
  await confirmLoan(as('guarantor'), released, { loanRef: '成都农商行 放款通知书 CDNS-2026-0415' });
  await releaseGuarantee(as('guarantor'), released);
  await posted(as, released, { kind: 'margin_refund', note: '解保退还保证金' });

  // 已代偿 with a partial recovery from the realised mortgage
  const defaulted = await approved(
    as,
    'dealer3',
    {
      ...base,
      lenderOrgId: ids.bank1!,
      amount: '2000000.00',
      termMonths: 12,
      purpose: '门店装修与备件采购',
      repaymentSource: '维修服务收入',
      weightingClass: 'small_micro',
      proposedCounterGuarantees: '成都维修厂房抵押',
    },
    { feeMethod: 'ratio', feeRate: '0.02', feeFrequency: 'one_off', reviewFee: '2000.00', margin: '200000.00', riskNote: '门店扩张过快' },
    today,
  );
  const plant = await addCounterGuarantee(as('guarantor'), defaulted, {
    kind: 'mortgage',
    object: '成都市新都区维修厂房 1,800㎡',
    ownerName: '四川蜀道设备贸易有限公司',
    valuation: '900000.00',
    valuationMethod: '评估机构市场法',
    valuationDate: today,
    registrationNo: '川(2026)成都市不动产证明第0098765号',
  });
  await moveCustody(as('guarantor'), defaulted, plant.id, { direction: 'in', note: '他项权证入库' });
  await collected(as, defaulted);
  await confirmLoan(as('bank'), defaulted, { loanRef: '浦江银行 线下借据 PJ-2026-0311' });
  await posted(as, defaulted, { kind: 'compensation', amount: '1200000.00', note: '借款人逾期，代偿本息' });
  await posted(as, defaulted, {
    kind: 'recovery',
    amount: '600000.00',
    source: 'counter_guarantee',
    counterGuaranteeId: plant.id,
    note: '抵押厂房司法拍卖款',
  });

  // 申请: waiting to be accepted
  await applyForGuarantee(as('dealer3'), {
    ...base,
    lenderOrgId: ids.bank1!,
    amount: '1500000.00',
    termMonths: 6,
    purpose: '季节性备货',
    repaymentSource: '旺季销售回款',
    weightingClass: 'small_micro',
    proposedCounterGuarantees: '存货质押',
  });
}
