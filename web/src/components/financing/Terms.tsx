/**
 * Product terms (产品要素) as read-only descriptions, plus the key-terms line used in pickers. The funder's internal
 * settings — its approval flows (by name), five-tier thresholds, provisioning rates, fee codes — are shown to the
 * product's owner and the operator only; an applicant reads what it is charged and how.
 */
import { Descriptions, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../lib/auth';
import { groupDigits, ratePct } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import { pledgeRateOf, TIERS, type FlowDefinition, type ProductTerms } from '../../lib/types';
import { useDocLabel } from './Tags';

/** A flow's name by its key, from the caller's own flow definitions (the latest version's); the key if it has none. */
export function useFlowNames(enabled = true): (key: string) => string {
  const flows = useRemote<FlowDefinition[]>(enabled ? '/api/v1/workflow/definitions' : null);
  return (key: string) => [...(flows.data ?? [])].filter((f) => f.key === key).sort((a, b) => b.version - a.version)[0]?.name ?? key;
}

export function KeyTerms({ terms }: { terms: ProductTerms }) {
  const { t } = useTranslation();
  return (
    <Space wrap size={[4, 4]}>
      <Tag color="blue">
        {t('fin.terms.annualRate')} {ratePct(terms.annualRate)}
      </Tag>
      <Tag>
        {groupDigits(terms.minAmount)} ~ {groupDigits(terms.maxAmount)} {terms.currency}
      </Tag>
      <Tag>{t('fin.terms.termRange', { min: terms.minTermMonths, max: terms.maxTermMonths })}</Tag>
      <Tag>{t(`fin.method.${terms.repaymentMethod}`)}</Tag>
      {terms.requiresCreditLine && <Tag color="orange">{t('fin.terms.requiresCreditLine')}</Tag>}
    </Space>
  );
}

export function TermsView({
  terms,
  mode,
  ownerOrgId,
  column = { xs: 1, sm: 2, lg: 3 },
}: {
  terms: ProductTerms;
  mode?: string;
  /** The product's owner: its users (and the operator's) also read the internal settings. */
  ownerOrgId?: string;
  column?: number | Partial<Record<'xs' | 'sm' | 'md' | 'lg' | 'xl' | 'xxl', number>>;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const docLabel = useDocLabel();
  const internal = me.organization.type === 'operator' || (ownerOrgId !== undefined && me.organization.id === ownerOrgId);
  const flowName = useFlowNames(internal);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="terms-view">
      <Descriptions size="small" bordered column={column}>
        <Descriptions.Item label={t('fin.terms.currency')}>{terms.currency}</Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.amountRange')}>
          {groupDigits(terms.minAmount)} ~ {groupDigits(terms.maxAmount)}
        </Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.termMonths')}>
          {terms.minTermMonths} ~ {terms.maxTermMonths}
        </Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.annualRate')}>{ratePct(terms.annualRate)}</Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.defaultRate')}>{ratePct(terms.defaultRate)}</Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.dayCount')}>
          {t(`fin.dayCount.${terms.dayCount}`, { defaultValue: terms.dayCount })}
        </Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.interestFreeDays')}>{terms.interestFreeDays}</Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.repaymentMethod')}>{t(`fin.method.${terms.repaymentMethod}`)}</Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.allocationOrder')}>
          {terms.allocationOrder.map((b) => t(`fin.bucket.${b}`)).join(' → ')}
        </Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.marginRatio')}>{ratePct(terms.marginRatio)}</Descriptions.Item>
        {(mode === 'receivables' || mode === 'inventory' || mode === 'warehouse_receipt') && (
          <Descriptions.Item label={t('fin.terms.pledgeRate')}>{ratePct(pledgeRateOf(mode, terms))}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('fin.terms.requiresCreditLine')}>
          {terms.requiresCreditLine ? t('common.yes') : t('common.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('fin.terms.requiredDocuments')}>
          {terms.requiredDocuments.length ? terms.requiredDocuments.map((d) => <Tag key={d}>{docLabel(d)}</Tag>) : t('common.none')}
        </Descriptions.Item>
        {internal && (
          <Descriptions.Item label={t('fin.terms.approvalFlowKey')}>
            <span data-testid="terms-approval-flow">{flowName(terms.approvalFlowKey)}</span>
          </Descriptions.Item>
        )}
        {internal && (
          <Descriptions.Item label={t('fin.terms.drawdownFlowKey')}>
            <span data-testid="terms-drawdown-flow">{flowName(terms.drawdownFlowKey)}</span>
          </Descriptions.Item>
        )}
        {internal && (
          <Descriptions.Item label={t('fin.terms.fiveTier')}>
            {(['special', 'substandard', 'doubtful', 'loss'] as const)
              .map((k) => `${t(`fin.tier.${k}`)} ≥${terms.fiveTier[k]}${t('fin.terms.days')}`)
              .join(' · ')}
          </Descriptions.Item>
        )}
        {internal && (
          <Descriptions.Item label={t('fin.terms.provisioning')}>
            {TIERS.map((k) => `${t(`fin.tier.${k}`)} ${ratePct(terms.provisioning[k])}`).join(' · ')}
          </Descriptions.Item>
        )}
      </Descriptions>
      {terms.fees.length > 0 && (
        <Table
          size="small"
          rowKey="code"
          pagination={false}
          title={() => t('fin.terms.fees')}
          dataSource={terms.fees}
          scroll={{ x: 500 }}
          columns={[
            { title: t('fin.fee.name'), dataIndex: 'name' },
            ...(internal ? [{ title: t('fin.fee.code'), dataIndex: 'code' }] : []),
            { title: t('fin.fee.basis'), dataIndex: 'basis', render: (b: string) => t(`fin.fee.bases.${b}`) },
            {
              title: t('fin.fee.value'),
              dataIndex: 'value',
              render: (v: string, f) => (f.basis === 'ratio' ? ratePct(v) : groupDigits(v)),
            },
            { title: t('fin.fee.frequency'), dataIndex: 'frequency', render: (v: string) => t(`fin.fee.frequencies.${v}`) },
          ]}
        />
      )}
    </Space>
  );
}
