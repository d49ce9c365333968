/** The facts of an application an approver needs: who, what, how much, documents and due diligence (the funder's side only). */
import { Descriptions, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { groupDigits, ratePct } from '../../lib/format';
import type { ApplicationDetail } from '../../lib/types';
import { ApplicationStatusTag, useDocLabel } from './Tags';

export function ApplicationSummary({ app, link = true }: { app: ApplicationDetail; link?: boolean }) {
  const { t } = useTranslation();
  const docLabel = useDocLabel();
  const dd = app.dueDiligence;
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      data-testid="application-summary"
      title={link ? <Link to={`/applications/${app.id}`}>{app.applicationNo}</Link> : undefined}
      extra={<ApplicationStatusTag status={app.status} contractStatus={app.contractStatus} />}
    >
      <Descriptions.Item label={t('fin.app.borrower')}>{app.borrowerName}</Descriptions.Item>
      <Descriptions.Item label={t('fin.app.product')}>
        {app.productName} <Tag>v{app.productVersion}</Tag>
        {app.product && <Typography.Text type="secondary">{ratePct(app.product.terms.annualRate)}</Typography.Text>}
      </Descriptions.Item>
      <Descriptions.Item label={t('fin.app.amount')}>
        <Typography.Text strong>
          {groupDigits(app.amount)} {app.currency}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('fin.app.term')}>{t('fin.app.months', { count: app.termMonths })}</Descriptions.Item>
      <Descriptions.Item label={t('fin.app.purpose')}>{app.purpose}</Descriptions.Item>
      <Descriptions.Item label={t('fin.app.documents')}>
        {app.documents?.length
          ? app.documents.map((d) => (
              <Tag key={d.kind}>
                <a href={`/api/v1/applications/${app.id}/documents/${d.id}`}>{docLabel(d.kind)}</a>
              </Tag>
            ))
          : t('common.none')}
      </Descriptions.Item>
      {dd !== undefined && (
        <Descriptions.Item label={t('fin.dd.title')}>
          {dd ? (
            <Space orientation="vertical" size={0}>
              <Space wrap>
                <Tag color="blue">
                  {t('fin.dd.rating')} {dd.rating}
                </Tag>
                <Tag color={dd.recommendation === 'approve' ? 'green' : dd.recommendation === 'reject' ? 'red' : 'gold'}>
                  {t(`fin.dd.recommendations.${dd.recommendation}`)}
                </Tag>
              </Space>
              <Typography.Text>{dd.summary}</Typography.Text>
              {dd.risks && (
                <Typography.Text type="secondary">
                  {t('fin.dd.risks')}: {dd.risks}
                </Typography.Text>
              )}
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('fin.dd.missing')}</Typography.Text>
          )}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}
