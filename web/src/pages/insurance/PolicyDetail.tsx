/**
 * A policy's page (保险管理): the cover and its parties, the policy document (PDF), the premium (the payer pays it
 * here), the covered goods as they stand and the claims; a party reports a loss (报案) on a covered lot.
 */
import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useConfirmMoney } from '../../components/ConfirmMoney';
import { useMe } from '../../lib/auth';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { insApi, insPaths, type InsPolicyDetail } from '../../lib/insurance';
import { useNarrow } from '../../lib/lists';
import { GoodsTables } from './Supervision';
import { ClaimStatusTag, PolicyStatusTag, PremiumStatusTag, insMoney } from './Tags';

export function PolicyDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const confirmMoney = useConfirmMoney();
  const [reporting, setReporting] = useState(false);
  const { data: p, reload } = useRemote<InsPolicyDetail>(insPaths.policy(id));
  if (!p) return <Card loading />;
  const write = me.permissions.includes('loan:write');
  const premium = p.premiumRecord;
  const payable = write && premium && (premium.status === 'due' || premium.status === 'overdue') && p.applicantOrgId === me.organization.id;
  const party = [p.insuredOrgId, p.beneficiaryOrgId, p.insurerOrgId].includes(me.organization.id);
  const pay = () =>
    confirmMoney({
      title: t('ins.payTitle', { no: p.policyNo }),
      amount: premium!.amount,
      currency: p.currency,
      consequences: [t('ins.payFollows1'), t('ins.payFollows2')],
      okText: t('ins.pay'),
      onOk: () =>
        insApi
          .payPremium(premium!.id)
          .then(() => {
            void message.success(t('ins.paid'));
            reload();
          })
          .catch(notify),
    });
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="ins-policy-detail">
      <Card
        title={
          <Space wrap>
            <span data-testid="ins-policy-no">{p.policyNo}</span>
            <PolicyStatusTag status={p.status} />
          </Space>
        }
        extra={
          <Button icon={<FilePdfOutlined />} href={insPaths.policyPdf(p.id)} target="_blank" data-testid="ins-policy-pdf">
            {t('ins.document')}
          </Button>
        }
      >
        <Descriptions column={narrow ? 1 : 3} size="small" bordered>
          <Descriptions.Item label={t('ins.insurer')}>{p.insurerName}</Descriptions.Item>
          <Descriptions.Item label={t('ins.insured')}>{p.insuredName}</Descriptions.Item>
          <Descriptions.Item label={t('ins.beneficiary')}>{p.beneficiaryName}</Descriptions.Item>
          <Descriptions.Item label={t('ins.applicant')}>{p.applicantName}</Descriptions.Item>
          <Descriptions.Item label={t('ins.application')}>
            <Link to={`/applications/${p.applicationId}`}>{t('ins.openApplication')}</Link>
          </Descriptions.Item>
          {p.receiptId && (
            <Descriptions.Item label={t('ins.receipt')}>
              <Link to={`/inventory/receipts/${p.receiptId}`}>{t('ins.openReceipt')}</Link>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('ins.insuredValue')}>
            <Typography.Text strong data-testid="ins-insured-value">
              {insMoney(p.insuredValue, p.currency)}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('ins.valuation')}>{insMoney(p.valuation, p.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('ins.perils')}>{p.perils.map((x) => t(`ins.peril.${x}`)).join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('ins.period')}>{`${p.periodFrom} ~ ${p.periodTo}`}</Descriptions.Item>
          <Descriptions.Item label={t('ins.rate')}>{`${(Number(p.premiumRate) * 1000).toString()}‰`}</Descriptions.Item>
          <Descriptions.Item label={t('ins.graceDays')}>{p.graceDays}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('ins.nav.premiums')} data-testid="ins-policy-premium">
        {premium ? (
          <Space wrap>
            <PremiumStatusTag status={premium.status} />
            <span>{insMoney(premium.amount, p.currency)}</span>
            <span>
              {t('ins.dueDate')} {premium.dueDate}
            </span>
            <span>
              {t('ins.lapsesAfter')} {premium.lapsesAfter}
            </span>
            {premium.paidOn && (
              <span>
                {t('ins.paidOn')} {premium.paidOn}
              </span>
            )}
            {payable && (
              <Button type="primary" onClick={pay} data-testid="ins-pay-premium">
                {t('ins.pay')}
              </Button>
            )}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('ins.noPremiumYet')}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('ins.goods')}>
        <GoodsTables goods={p.goods} currency={p.currency} />
      </Card>
      {p.pledges.length > 0 && (
        <Card size="small" title={t('ins.pledges')} data-testid="ins-policy-pledges">
          <Typography.Paragraph type="secondary">{t('ins.pledgesHint')}</Typography.Paragraph>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={p.pledges}
            columns={[
              { title: t('ins.pledgeFunder'), dataIndex: 'funderName' },
              {
                title: t('ins.pledgeApplication'),
                dataIndex: 'applicationId',
                render: (v: string) => <Link to={`/applications/${v}`}>{t('ins.openApplication')}</Link>,
              },
              { title: t('fin.app.pledgeValue'), dataIndex: 'cover', align: 'right', render: (v: string) => insMoney(v, p.currency) },
              {
                title: t('ins.status'),
                dataIndex: 'status',
                render: (v: 'pledged' | 'released') => (
                  <Tag color={v === 'pledged' ? 'purple' : undefined}>{t(`fin.app.pledgeStatus.${v}`)}</Tag>
                ),
              },
              { title: t('fin.app.pledgedOn'), dataIndex: 'pledgedOn' },
              { title: t('fin.app.releasedOn'), dataIndex: 'releasedOn', render: (v: string | null) => v ?? '—' },
            ]}
          />
        </Card>
      )}
      <Card
        size="small"
        title={t('ins.nav.claims')}
        extra={
          party && write && p.status === 'active' ? (
            <Button onClick={() => setReporting(true)} data-testid="ins-report-claim">
              {t('ins.reportClaim')}
            </Button>
          ) : null
        }
      >
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={p.claims}
          scroll={{ x: true }}
          columns={[
            { title: t('ins.claimNo'), render: (_, c) => <Link to={`/insurance/claims/${c.id}`}>{c.claimNo}</Link> },
            { title: t('ins.status'), render: (_, c) => <ClaimStatusTag status={c.status} /> },
            { title: t('ins.cause'), render: (_, c) => t(`ins.causes.${c.cause}`) },
            { title: t('ins.claimed'), align: 'right', render: (_, c) => insMoney(c.claimed, p.currency) },
            { title: t('ins.assessed'), align: 'right', render: (_, c) => insMoney(c.assessed, p.currency) },
            { title: t('ins.reportedOn'), dataIndex: 'businessDate' },
          ]}
        />
      </Card>
      {reporting && <ReportClaimModal policy={p} onClose={() => setReporting(false)} />}
    </Space>
  );
}

function ReportClaimModal({ policy, onClose }: { policy: InsPolicyDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const cause = Form.useWatch('cause', form);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    insApi
      .reportClaim({ policyId: policy.id, ...v, ...(v.cause === 'shortage' ? { quantity: undefined } : {}) })
      .then((c) => {
        void message.success(t('ins.claimReported'));
        navigate(`/insurance/claims/${c.id}`);
      })
      .catch(notify)
      .finally(() => setBusy(false));
  };
  return (
    <Modal
      open
      title={t('ins.reportClaim')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'ins-claim-submit' }}
    >
      <Form form={form} layout="vertical" initialValues={{ cause: 'shortage', lotId: policy.goods.lots[0]?.id }}>
        <Form.Item name="lotId" label={t('ins.lot')} rules={[{ required: true }]}>
          <Select options={policy.goods.lots.map((l) => ({ value: l.id, label: `${l.lotNo} · ${l.skuName} · ${l.quantity} ${l.unit}` }))} />
        </Form.Item>
        <Form.Item name="cause" label={t('ins.cause')} rules={[{ required: true }]}>
          <Select options={['shortage', 'damage', 'theft'].map((c) => ({ value: c, label: t(`ins.causes.${c}`) }))} />
        </Form.Item>
        {cause !== 'shortage' && (
          <Form.Item name="quantity" label={t('ins.quantityLost')} rules={[{ required: true, pattern: /^\d{1,12}(\.\d{1,6})?$/ }]}>
            <Input />
          </Form.Item>
        )}
        <Form.Item name="claimed" label={t('ins.claimed')} rules={[{ required: true, pattern: /^\d{1,15}(\.\d{1,2})?$/ }]}>
          <Input data-testid="ins-claim-amount" />
        </Form.Item>
        <Form.Item name="description" label={t('ins.description')} rules={[{ required: true, max: 1000 }]}>
          <Input.TextArea rows={3} data-testid="ins-claim-description" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
