/** Parties' workbench cards for the operator: the platform's members by organisation type, and prospects to admit. */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { queryRows } from '../../kernel/db';
import { workbenchCard, workbenchItem, type WorkbenchCard } from '../../kernel/registry';

const ORG_TYPE_WORDS: Readonly<Record<string, { zh: string; en: string }>> = {
  core: { zh: '核心企业', en: 'Core enterprises' },
  supplier: { zh: '供应商', en: 'Suppliers' },
  dealer: { zh: '经销商', en: 'Dealers' },
  bank: { zh: '银行', en: 'Banks' },
  factor: { zh: '保理公司', en: 'Factors' },
  warehouse: { zh: '仓储监管', en: 'Warehouses' },
  logistics: { zh: '物流', en: 'Logistics' },
  insurer: { zh: '保险机构', en: 'Insurers' },
  guarantor: { zh: '担保公司', en: 'Guarantors' },
  buyback: { zh: '回购机构', en: 'Buyback institutions' },
};

export async function operatorPartyCards(ctx: Ctx): Promise<WorkbenchCard[]> {
  const rows = await queryRows<{ type: string; member_status: string; n: bigint }>(
    ctx.db,
    sql`select type, member_status, count(*) as n from organizations where type <> 'operator' group by 1, 2 order by 1, 2`,
  );
  const members = new Map<string, number>();
  let prospects = 0;
  for (const r of rows) {
    if (r.member_status === 'member') members.set(r.type, (members.get(r.type) ?? 0) + Number(r.n));
    if (r.member_status === 'prospect') prospects += Number(r.n);
  }
  return [
    workbenchCard({
      key: 'parties.members',
      kind: 'series',
      title: { zh: '平台会员（按类型）', en: 'Members by type' },
      value: String([...members.values()].reduce((s, n) => s + n, 0)),
      items: [...members.entries()].map(([type, n]) =>
        workbenchItem(type, ORG_TYPE_WORDS[type] ?? { zh: type, en: type }, String(n), { link: '/parties' }),
      ),
      link: '/parties',
    }),
    workbenchCard({
      key: 'parties.prospects',
      kind: 'figure',
      title: { zh: '待准入会员', en: 'New members to admit' },
      value: String(prospects),
      link: '/parties?memberStatus=prospect',
    }),
  ];
}
