/** Insurance's workbench cards: the insurer's policies by status (to underwrite) and premiums by status (overdue). */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import { formatAmount, type Currency } from '../../kernel/money';
import { ALERT_SOURCE_LIMIT, statusCountsCard, type Alert, type WorkbenchCard } from '../../kernel/registry';

const POLICY_WORDS = {
  applied: { zh: '已申请', en: 'Applied' },
  underwriting: { zh: '待核保', en: 'To underwrite' },
  active: { zh: '生效中', en: 'In force' },
  lapsed: { zh: '已失效', en: 'Lapsed' },
} as const;
const PREMIUM_WORDS = {
  due: { zh: '待缴', en: 'Due' },
  overdue: { zh: '逾期', en: 'Overdue' },
  paid: { zh: '已缴', en: 'Paid' },
} as const;

export async function insuranceCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  const me = ctx.actor.orgId;
  const [policies, premiums] = await Promise.all([
    queryRows<{ status: string; n: bigint }>(
      ctx.db,
      sql`select status, count(*) as n from insurance_policies where insurer_org_id = ${me} group by 1`,
    ),
    queryRows<{ status: string; n: bigint }>(
      ctx.db,
      sql`select status, count(*) as n from insurance_premiums where insurer_org_id = ${me} group by 1`,
    ),
  ]);
  return [
    statusCountsCard({
      key: 'insurance.policies',
      title: { zh: '保单（按状态）', en: 'Policies by status' },
      words: POLICY_WORDS,
      counts: policies,
      open: ['applied', 'underwriting'],
      link: '/insurance/policies',
    }),
    statusCountsCard({
      key: 'insurance.premiums',
      title: { zh: '保费（按状态）', en: 'Premiums by status' },
      words: PREMIUM_WORDS,
      counts: premiums,
      open: ['overdue'],
      link: '/insurance/premiums',
    }),
  ];
}

/** 预警: policies lapsed (premium unpaid past its grace days) on goods the caller pledged or lent against. */
export async function lapsedPolicyAlerts(ctx: Ctx): Promise<Alert[]> {
  const me = ctx.actor.orgId;
  const rows = await queryRows<{ id: string; policy_no: string; insured_value: bigint; currency: string }>(
    ctx.db,
    sql`select id, policy_no, insured_value_minor as insured_value, currency from insurance_policies
         where status = 'lapsed' and (insured_org_id = ${me} or beneficiary_org_id = ${me} or applicant_org_id = ${me})
         order by policy_no limit ${ALERT_SOURCE_LIMIT}`,
  );
  return rows.map((r) => ({
    source: 'policy_lapsed',
    severity: 'critical',
    id: r.id,
    title: r.policy_no,
    amount: formatAmount(BigInt(r.insured_value), r.currency as Currency),
    currency: r.currency,
    date: null,
    link: `/insurance/policies/${r.id}`,
  }));
}
