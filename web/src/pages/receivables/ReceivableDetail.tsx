/**
 * A receivable's page (/receivables/:id — where its notices and work-queue items lead): its facts and status, the
 * debtor's confirmation (确权) with its business date or the reason it was rejected, what it is committed to (a factoring
 * deal, a loan's pledge, a certificate), the trade document behind it as issued, and the factoring deals on it the
 * caller is party to — with each party's next step on the receivable (confirm, reject, ask for factoring) and on a deal
 * (offer, accept, fund, settle…), the same as in the lists. Another party's receivable answers 404 (the API's scope).
 * /factoring/:id, a deal's notice, opens the page of the receivable the deal is on.
 */
import { Breadcrumb, Card, Descriptions, Result, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router-dom';
import { BusinessDate } from '../../components/BusinessDate';
import { ListCards } from '../../components/ListCards';
import { groupDigits, ratePct } from '../../lib/format';
import { useRemote } from '../../lib/hooks';
import { compareAmounts } from '../../lib/money';
import type { FactoringDeal, ReceivableDetail } from '../../lib/types';
import { Encumbrance, ReceivableAmount, ReceivableStatus, useFactoringActions, useReceivableActions } from './Receivables';

export function ReceivableDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const detail = useRemote<ReceivableDetail>(`/api/v1/receivables/${id}`);
  const receivable = useReceivableActions(detail.reload);
  const deals = useFactoringActions(detail.reload);
  if (detail.error?.status === 404)
    return <Result status="404" title="404" subTitle={t('recv.page.notFound')} data-testid="receivable-not-found" />;
  const r = detail.data;
  if (!r) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const actions = receivable.actionsOf(r);
  const doc = r.document;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="receivable-detail">
      <Card>
        <Breadcrumb items={[{ title: <Link to="/receivables">{t('recv.receivables')}</Link> }, { title: r.receivableNo }]} />
        <Space wrap style={{ marginTop: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="receivable-no">
            {r.receivableNo}
          </Typography.Title>
          <span data-testid="receivable-page-status" data-status={r.status}>
            <ReceivableStatus r={r} />
          </span>
          <Encumbrance r={r} />
        </Space>
        {actions && (
          <div style={{ marginTop: 12 }} data-testid="receivable-actions">
            {actions}
          </div>
        )}
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          style={{ marginTop: 12 }}
          title={t('recv.page.facts')}
          data-testid="receivable-facts"
        >
          <Descriptions.Item label={t('recv.creditor')}>{r.creditorName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('recv.debtor')}>{r.debtorName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('recv.amount')}>
            <span data-testid="receivable-amount">
              <ReceivableAmount r={r} />
            </span>
            <Typography.Text type="secondary" style={{ marginInlineStart: 4 }}>
              {r.currency}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('recv.dueDate')}>{r.dueDate}</Descriptions.Item>
          <Descriptions.Item label={t('recv.page.recordedOn')}>
            <BusinessDate date={r.businessDate} at={r.createdAt} />
          </Descriptions.Item>
          {r.confirmedAt && (
            <Descriptions.Item label={t('recv.page.confirmedOn')}>
              <span data-testid="receivable-confirmed-on">
                <BusinessDate date={r.confirmedOn ?? r.confirmedAt.slice(0, 10)} at={r.confirmedAt} />
              </span>
            </Descriptions.Item>
          )}
          {r.rejectionReason && <Descriptions.Item label={t('recv.page.rejectionReason')}>{r.rejectionReason}</Descriptions.Item>}
          {compareAmounts(r.settled, '0') > 0 && (
            <Descriptions.Item label={t('recv.page.settled')}>{groupDigits(r.settled)}</Descriptions.Item>
          )}
          {compareAmounts(r.settled, '0') > 0 && (
            <Descriptions.Item label={t('recv.page.outstanding')}>{groupDigits(r.outstanding)}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {doc && (
        <Card size="small" title={t('recv.page.document')} data-testid="receivable-document">
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
            <Descriptions.Item label={t('recv.docNo')}>{doc.docNo}</Descriptions.Item>
            <Descriptions.Item label={t('recv.docKind')}>
              <Tag>{t(`recv.kinds.${doc.kind}`, { defaultValue: doc.kind })}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('recv.issueDate')}>{doc.issueDate}</Descriptions.Item>
            <Descriptions.Item label={t('recv.page.documentAmount')}>{groupDigits(doc.amount)}</Descriptions.Item>
            <Descriptions.Item label={t('recv.page.source')}>{t(`recv.page.sources.${doc.source}`)}</Descriptions.Item>
            {doc.description && <Descriptions.Item label={t('recv.description')}>{doc.description}</Descriptions.Item>}
          </Descriptions>
        </Card>
      )}
      <Card size="small" title={t('recv.page.factoring')} data-testid="receivable-deals-card">
        <ListCards<FactoringDeal>
          items={r.factoring}
          rowKey={(d) => d.id}
          testId="receivable-deals"
          empty={<Typography.Text type="secondary">{t('recv.page.noFactoring')}</Typography.Text>}
          title={(d) => d.dealNo}
          extra={deals.statusOf}
          fields={(d) => [
            { label: t('recv.factor'), value: d.factorName },
            {
              label: t('recv.recourse'),
              value: (
                <Space size={2} wrap>
                  <Tag>{t(d.recourse ? 'recv.withRecourse' : 'recv.withoutRecourse')}</Tag>
                  {d.reverse && <Tag color="purple">{t('recv.reverse')}</Tag>}
                </Space>
              ),
            },
            { label: t('recv.amount'), value: <Typography.Text strong>{groupDigits(d.amount)}</Typography.Text> },
            d.advance !== null && {
              label: t('recv.advance'),
              value: `${groupDigits(d.advance)}${d.advanceRate ? ` (${ratePct(d.advanceRate)})` : ''}`,
            },
            d.annualRate !== null && { label: t('recv.annualRate'), value: ratePct(d.annualRate) },
            d.fee !== null && { label: t('recv.fee'), value: groupDigits(d.fee) },
            d.fundedOn !== null && { label: t('recv.fundedOn'), value: d.fundedOn },
            { label: t('recv.dueDate'), value: d.dueDate },
          ]}
          actions={deals.actionsOf}
        />
      </Card>
      {receivable.modals}
      {deals.modals}
    </Space>
  );
}

/** A factoring deal's route (its notices' link): the page of the receivable it is on. */
export function FactoringDealPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const deal = useRemote<FactoringDeal>(`/api/v1/factoring/${id}`);
  if (deal.error) return <Result status="404" title="404" subTitle={deal.error.message} />;
  if (!deal.data) return <Spin style={{ display: 'block', marginTop: 80 }} aria-label={t('common.loading')} />;
  return <Navigate to={`/receivables/${deal.data.receivableId}`} replace />;
}
