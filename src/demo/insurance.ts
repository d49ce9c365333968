/**
 * Demo 保险机构, lived through the demo's last business days (its `onDay` runs in the financing demo's end-of-day loop
 * after inventory's, before each day's run):
 * - the day after 浦江银行's goods-pledge loans: the operator records 安信财险's claims reserve; 精工钢材 applies to
 *   安信财险 for cover of its receipt's coils (the receipt's insurance terms named 安信财险 already; the policy names the
 *   receipt) and pays the premium; 浦江银行 applies for cover of the fully lent lot and pays; 鲁工机械 applies for its
 *   excavators at their minimum controlled value — below the 80% of their value the product asks, so the bank sees the
 *   pledge flagged under-insured — and leaves the premium unpaid: overdue from the next end-of-day, within its 60 days'
 *   grace today. 安信财险's checker underwrites all three.
 * - the same day, 保单融资: 浦江银行 publishes its policy-financing product (50% of a policy's cover) and 精工钢材 applies
 *   under it, pledging its receipt's policy at 安信财险 (submitted: the policy pledged, 浦江银行 first beneficiary; the
 *   application waits for the bank's approval).
 * - the day after the stocktake found 15 kg short on the fully lent lot: 精工钢材 reports the shortage, 安信财险's
 *   assessor assesses it and its checker approves: the payout repays 浦江银行's loan (first beneficiary).
 * All through the services, as the users would.
 */
import type { Ctx } from '../kernel/context';
import { addDays, daysBetween, type BusinessDate } from '../kernel/dates';
import { listPledges } from '../modules/inventory';
import { recordCashMovement } from '../modules/ledger';
import { assessClaim, reportClaim } from '../modules/insurance/claims';
import { applyPolicy, getPolicy } from '../modules/insurance/policies';
import { createApplication, submitApplication } from '../modules/financing';
import { Decimal } from 'decimal.js';
import { product } from './financing';
import { payPremium } from '../modules/insurance/premiums';
import { decideTask, inbox } from '../modules/workflow';
import { checked } from './checker';

type As = (user: string) => Ctx;

/** Days after the pledges (inventory's demo) on which the policies are applied for, and the shortage claimed. */
const POLICY_DAY = 1;
const CLAIM_DAY = 4;

export interface InsuranceDemo {
  onDay(date: BusinessDate): Promise<void>;
}

export function insuranceDemo(as: As, ids: Record<string, string>, today: BusinessDate, pledgedDaysAgo: number): InsuranceDemo {
  const pledgeDay = addDays(today, -pledgedDaysAgo);
  let loosePolicy: { id: string; lotId: string } | undefined;
  return {
    async onDay(date) {
      const day = daysBetween(pledgeDay, date);
      if (day === POLICY_DAY) loosePolicy = await insure(as, ids, date);
      if (day === CLAIM_DAY && loosePolicy) await claimShortage(as, loosePolicy);
    },
  };
}

/** 安信财险's checker underwrites the policy from its inbox (flow ins_underwriting). */
async function underwrite(as: As, policyId: string): Promise<void> {
  const checker = as('insurer.checker');
  const task = (await inbox(checker)).find((x) => x.subjectId === policyId);
  if (!task) throw new Error('demo: no underwriting task for the insurer');
  await decideTask(checker, task.id, 'approve', '标的已查验，监管仓库消防合格，同意承保');
}

async function insure(as: As, ids: Record<string, string>, date: BusinessDate) {
  await recordCashMovement(as('operator'), {
    orgId: ids.insurer!,
    currency: 'CNY',
    amount: '5000000.00',
    direction: 'deposit',
    reference: '安信财险 理赔备付金',
  });
  const pledges = await listPledges(as('bank'), { status: 'active', limit: 200 });
  const receiptPledge = pledges.find((p) => p.pledgorOrgId === ids.sup1 && p.receiptId && p.applicationId);
  const lotPledge = pledges.find((p) => p.pledgorOrgId === ids.sup1 && p.lotId && p.applicationId);
  const machinesPledge = pledges.find((p) => p.pledgorOrgId === ids.dea1 && p.kind === 'dynamic' && p.applicationId);
  if (!receiptPledge || !lotPledge || !machinesPledge) throw new Error('demo: the goods-pledge loans to insure are missing');
  // 60 days of grace (the policy stays in force while the premium is overdue): the overdue premium is still there to be
  // paid after the weeks of end-of-day a demo walk-through (or the browser suite's loans) runs
  const terms = { insurerOrgId: ids.insurer!, periodFrom: date, periodTo: addDays(date, 365), graceDays: 60 };

  const receiptPolicy = await applyPolicy(as('supplier'), {
    ...terms,
    applicationId: receiptPledge.applicationId!,
    perils: ['fire', 'flood', 'theft', 'shortage'],
    premiumRate: '0.0025',
  });
  await underwrite(as, receiptPolicy.id);
  await payPremium(as('supplier'), (await getPolicy(as('supplier'), receiptPolicy.id)).premiumRecord!.id);

  const loose = await applyPolicy(as('bank'), {
    ...terms,
    applicationId: lotPledge.applicationId!,
    perils: ['all_risks'],
    premiumRate: '0.003',
  });
  await underwrite(as, loose.id);
  await payPremium(as('bank'), (await getPolicy(as('bank'), loose.id)).premiumRecord!.id);

  const machines = await applyPolicy(as('dealer'), {
    ...terms,
    applicationId: machinesPledge.applicationId!,
    perils: ['fire', 'theft', 'collapse'],
    premiumRate: '0.004',
    insuredValue: '1720000.00',
  });
  await underwrite(as, machines.id);
  await policyFinancing(as, receiptPolicy.id);
  return { id: loose.id, lotId: lotPledge.lotId! };
}

/** 保单融资: 浦江银行's product; 精工钢材 pledges its policy in force for 40% of its cover (the product lends 50%). */
async function policyFinancing(as: As, policyId: string): Promise<void> {
  const productId = await product(as('bank'), 'POLICY-LOAN', '保单融资', 'insurance_policy', {
    currency: 'CNY',
    minAmount: '50000.00',
    maxAmount: '10000000.00',
    minTermMonths: 1,
    maxTermMonths: 12,
    annualRate: '0.048',
    defaultRate: '0.072',
    dayCount: 'ACT_360',
    repaymentMethod: 'bullet',
    requiresCreditLine: false,
    pledgeRate: '0.5',
  });
  const policy = await getPolicy(as('supplier'), policyId);
  const amount = new Decimal(policy.insuredValue).mul('0.4').div(10000).floor().mul(10000).toFixed(2);
  const app = await createApplication(as('supplier'), {
    productId,
    amount,
    termMonths: 6,
    purpose: '以仓单项下热轧卷板的财产险保单质押，补充采购流动资金',
    policyIds: [policyId],
  });
  await submitApplication(as('supplier'), app.id);
}

async function claimShortage(as: As, policy: { id: string; lotId: string }): Promise<void> {
  const claim = await reportClaim(as('supplier'), {
    policyId: policy.id,
    lotId: policy.lotId,
    cause: 'shortage',
    claimed: '55.50',
    description: '监管库月度盘点短少 15 公斤（热轧卷板），按当日结算价索赔',
  });
  await checked(
    as,
    'insurer.checker',
    await assessClaim(as('insurer'), claim.id, {
      amount: '55.50',
      note: '盘点记录与过磅单核对一致，属自然损耗以外的短少；按 3,700.00 元/吨定损，仓储方承担追偿',
    }),
  );
}
