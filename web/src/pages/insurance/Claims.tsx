/**
 * 理赔: claims the caller is a party of; a claim's page with the payout's split (the first beneficiary's loan repaid
 * first, the remainder to the insured). The insurer's assessor enters the assessment (定损) — it waits for a second
 * insurer user (待办) and the approval pays — or declines; the assessment note is the insurer's own.
 */
import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ListCards } from '../../components/ListCards';
import { useMe } from '../../lib/auth';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { insApi, insPaths, type InsClaim } from '../../lib/insurance';
import { useNarrow } from '../../lib/lists';
import { ClaimStatusTag, insMoney } from './Tags';

export function ClaimsPage() {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const { data, loading } = useRemote<InsClaim[]>(insPaths.claims());
  const no = (c: InsClaim) => <Link to={`/insurance/claims/${c.id}`}>{c.claimNo}</Link>;
  return (
    <Card title={t('ins.nav.claims')} data-testid="ins-claims">
      <Typography.Paragraph type="secondary">{t('ins.claimsExplain')}</Typography.Paragraph>
      {narrow ? (
        <ListCards
          items={data}
          loading={loading}
          rowKey={(c) => c.id}
          title={no}
          extra={(c) => <ClaimStatusTag status={c.status} />}
          fields={(c) => [
            { label: t('ins.cause'), value: t(`ins.causes.${c.cause}`) },
            { label: t('ins.claimed'), value: insMoney(c.claimed, c.currency) },
            { label: t('ins.assessed'), value: insMoney(c.assessed, c.currency) },
          ]}
        />
      ) : (
        <Table<InsClaim>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data}
          data-testid="ins-claim-table"
          columns={[
            { title: t('ins.claimNo'), render: (_, c) => no(c) },
            { title: t('ins.status'), render: (_, c) => <ClaimStatusTag status={c.status} /> },
            { title: t('ins.policyNo'), render: (_, c) => <Link to={`/insurance/policies/${c.policyId}`}>{c.policyNo}</Link> },
            { title: t('ins.insured'), dataIndex: 'insuredName' },
            { title: t('ins.cause'), render: (_, c) => t(`ins.causes.${c.cause}`) },
            { title: t('ins.claimed'), align: 'right', render: (_, c) => insMoney(c.claimed, c.currency) },
            { title: t('ins.assessed'), align: 'right', render: (_, c) => insMoney(c.assessed, c.currency) },
            { title: t('ins.beneficiaryPaid'), align: 'right', render: (_, c) => insMoney(c.beneficiaryPaid, c.currency) },
            { title: t('ins.reportedOn'), dataIndex: 'businessDate' },
          ]}
        />
      )}
    </Card>
  );
}

export function ClaimDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const narrow = useNarrow();
  const { data: c, reload } = useRemote<InsClaim>(insPaths.claim(id));
  const [open, setOpen] = useState<'assess' | 'decline'>();
  if (!c) return <Card loading />;
  const insurer = me.organization.type === 'insurer' && 'assessmentNote' in c;
  const actionable = insurer && c.status === 'reported' && me.permissions.includes('loan:write');
  return (
    <Card
      data-testid="ins-claim-detail"
      title={
        <Space wrap>
          <span>{c.claimNo}</span>
          <ClaimStatusTag status={c.status} />
        </Space>
      }
      extra={
        actionable ? (
          <Space>
            <Button type="primary" onClick={() => setOpen('assess')} data-testid="ins-assess">
              {t('ins.assess')}
            </Button>
            <Button danger onClick={() => setOpen('decline')}>
              {t('ins.decline')}
            </Button>
          </Space>
        ) : null
      }
    >
      <Descriptions column={narrow ? 1 : 2} size="small" bordered>
        <Descriptions.Item label={t('ins.policyNo')}>
          <Link to={`/insurance/policies/${c.policyId}`}>{c.policyNo}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('ins.cause')}>{t(`ins.causes.${c.cause}`)}</Descriptions.Item>
        <Descriptions.Item label={t('ins.insured')}>{c.insuredName}</Descriptions.Item>
        <Descriptions.Item label={t('ins.beneficiary')}>{c.beneficiaryName}</Descriptions.Item>
        <Descriptions.Item label={t('ins.lot')}>
          <Link to={`/inventory/lots/${c.lotId}`}>{`${c.quantityLost} ${c.unit ?? ''}`}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('ins.lossDate')}>{c.lossDate}</Descriptions.Item>
        <Descriptions.Item label={t('ins.claimed')}>{insMoney(c.claimed, c.currency)}</Descriptions.Item>
        <Descriptions.Item label={t('ins.assessed')}>
          <span data-testid="ins-claim-assessed">{insMoney(c.assessed, c.currency)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('ins.beneficiaryPaid')}>
          <span data-testid="ins-claim-beneficiary-paid">{insMoney(c.beneficiaryPaid, c.currency)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('ins.insuredPaid')}>{insMoney(c.insuredPaid, c.currency)}</Descriptions.Item>
        <Descriptions.Item label={t('ins.description')} span={narrow ? 1 : 2}>
          {c.description}
        </Descriptions.Item>
        {insurer && (
          <Descriptions.Item label={t('ins.assessmentNote')} span={narrow ? 1 : 2}>
            <span data-testid="ins-assessment-note">{c.assessmentNote ?? '—'}</span>
          </Descriptions.Item>
        )}
      </Descriptions>
      {open && <DecideModal claim={c} mode={open} onClose={() => setOpen(undefined)} onDone={reload} />}
    </Card>
  );
}

function DecideModal({
  claim,
  mode,
  onClose,
  onDone,
}: {
  claim: InsClaim;
  mode: 'assess' | 'decline';
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    const done = mode === 'assess' ? insApi.assess(claim.id, v) : insApi.decline(claim.id, v);
    done
      .then((r) => {
        void message.success('status' in r && r.status === 'pending_approval' ? t('ins.assessPending') : t('ins.saved'));
        onClose();
        onDone();
      })
      .catch(notify)
      .finally(() => setBusy(false));
  };
  return (
    <Modal
      open
      title={mode === 'assess' ? t('ins.assess') : t('ins.decline')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'ins-decide-submit' }}
    >
      <Form form={form} layout="vertical" initialValues={{ amount: claim.claimed }}>
        {mode === 'assess' && (
          <Form.Item name="amount" label={t('ins.assessed')} rules={[{ required: true, pattern: /^\d{1,15}(\.\d{1,2})?$/ }]}>
            <Input data-testid="ins-assess-amount" />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('ins.assessmentNote')} rules={[{ required: true, max: 2000 }]}>
          <Input.TextArea rows={3} data-testid="ins-assess-note" />
        </Form.Item>
        {mode === 'assess' && <Typography.Text type="secondary">{t('ins.assessExplain')}</Typography.Text>}
      </Form>
    </Modal>
  );
}
