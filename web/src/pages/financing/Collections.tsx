/** 催收: a funder's collection cases (opened by end-of-day when a loan falls overdue) and their actions. */
import { useState } from 'react';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Result,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { CollectionStatusTag, LoanStatusTag, TierTag } from '../../components/financing/Tags';
import { post, query } from '../../lib/api';
import { groupDigits } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { amountPattern, scaleOf } from '../../lib/money';
import type { CollectionAction, CollectionCase, CollectionCaseItem, LoanDetail } from '../../lib/types';
import { useNarrow } from '../../lib/lists';
import { ListCards } from '../../components/ListCards';
import { BusinessDate } from '../../components/BusinessDate';

const KINDS = ['call', 'visit', 'letter', 'sms', 'promise', 'escalate', 'note'] as const;
const KIND_COLOR: Record<string, string> = {
  call: 'blue',
  visit: 'cyan',
  letter: 'geekblue',
  sms: 'purple',
  promise: 'gold',
  escalate: 'red',
  note: 'gray',
};

export function CollectionsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string>('');
  const cases = useRemote<CollectionCaseItem[]>(`/api/v1/collections${query({ status })}`);
  const narrow = useNarrow();
  const statusOptions = [
    { value: '', label: t('fin.coll.active') },
    ...(['open', 'promised', 'escalated', 'resolved', 'written_off'] as const).map((s) => ({
      value: s,
      label: t(`fin.collStatus.${s}`),
    })),
  ];
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.collections')}
        </Typography.Title>
      }
    >
      {narrow ? (
        // six segments are wider than a phone (the page was 449 px wide on a 390 px screen)
        <Select
          style={{ width: '100%', marginBottom: 12 }}
          value={status}
          onChange={setStatus}
          options={statusOptions}
          data-testid="collection-status"
        />
      ) : (
        <Segmented style={{ marginBottom: 12 }} value={status} onChange={(v) => setStatus(v as string)} options={statusOptions} />
      )}
      {narrow ? (
        <ListCards<CollectionCaseItem>
          items={cases.data}
          rowKey={(r) => r.id}
          loading={cases.loading}
          testId="collection-cards"
          onOpen={(r) => navigate(`/collections/${r.id}`)}
          title={(r) => <Typography.Link>{r.loanNo}</Typography.Link>}
          extra={(r) => <CollectionStatusTag status={r.status} />}
          fields={(r) => [
            { label: t('fin.app.borrower'), value: r.borrowerName },
            { label: t('fin.loan.dpd'), value: <Typography.Text type="danger">{r.daysPastDue}</Typography.Text> },
            { label: t('fin.coll.due'), value: <Typography.Text strong>{groupDigits(r.due)}</Typography.Text> },
            { label: t('fin.loan.overduePrincipal'), value: groupDigits(r.overduePrincipal) },
            { label: t('fin.loan.classification'), value: <TierTag tier={r.classification} /> },
            { label: t('fin.coll.openedOn'), value: r.openedOn },
          ]}
        />
      ) : (
        <Table<CollectionCaseItem>
          rowKey="id"
          size="middle"
          loading={cases.loading}
          dataSource={cases.data}
          scroll={{ x: 'max-content' }}
          data-testid="collection-table"
          onRow={(r) => ({ onClick: () => navigate(`/collections/${r.id}`), style: { cursor: 'pointer' } })}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('fin.loan.no'),
              dataIndex: 'loanNo',
              width: 190,
              fixed: 'left',
              render: (v: string) => <Typography.Link>{v}</Typography.Link>,
            },
            { title: t('fin.app.borrower'), dataIndex: 'borrowerName', width: 220 },
            {
              title: t('fin.loan.overduePrincipal'),
              dataIndex: 'overduePrincipal',
              width: 140,
              align: 'right',
              render: (v: string) => groupDigits(v),
            },
            { title: t('fin.coll.level'), dataIndex: 'level', width: 80 },
            { title: t('fin.coll.openedOn'), dataIndex: 'openedOn', width: 110 },
            // what a collector works by stays in view at the right, however narrow the window
            {
              title: t('fin.loan.dpd'),
              dataIndex: 'daysPastDue',
              width: 100,
              align: 'right',
              fixed: 'right',
              render: (v: number) => <Typography.Text type="danger">{v}</Typography.Text>,
            },
            {
              title: t('fin.coll.due'),
              dataIndex: 'due',
              width: 140,
              align: 'right',
              fixed: 'right',
              render: (v: string) => <Typography.Text strong>{groupDigits(v)}</Typography.Text>,
            },
            {
              title: t('fin.loan.classification'),
              dataIndex: 'classification',
              width: 100,
              fixed: 'right',
              render: (c: CollectionCaseItem['classification']) => <TierTag tier={c} />,
            },
            {
              title: t('fin.coll.status'),
              dataIndex: 'status',
              width: 100,
              fixed: 'right',
              render: (s: string) => <CollectionStatusTag status={s} />,
            },
          ]}
        />
      )}
    </Card>
  );
}

export function CollectionPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const c = useRemote<CollectionCase>(`/api/v1/collections/${id}`);
  const loan = useRemote<LoanDetail>(c.data ? `/api/v1/loans/${c.data.loanId}` : null);
  const [form] = Form.useForm<{ kind: (typeof KINDS)[number]; note: string; promisedDate?: Dayjs; promisedAmount?: string }>();
  const kind = Form.useWatch('kind', form);
  const [saving, setSaving] = useState(false);

  if (c.error?.status === 404) return <Result status="404" title="404" subTitle={c.error.message} />;
  const cc = c.data;
  if (!cc) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const active = ['open', 'promised', 'escalated'].includes(cc.status);
  const submit = (v: { kind: string; note: string; promisedDate?: Dayjs; promisedAmount?: string }) => {
    setSaving(true);
    post(`/api/v1/collections/${cc.id}/actions`, {
      kind: v.kind,
      note: v.note,
      promisedDate: v.promisedDate?.format('YYYY-MM-DD'),
      promisedAmount: v.promisedAmount || undefined,
    })
      .then(() => {
        void message.success(t('common.saved'));
        form.resetFields();
        c.reload();
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  const l = loan.data;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="collection-detail">
      <Card>
        <Breadcrumb items={[{ title: <Link to="/collections">{t('nav.collections')}</Link> }, { title: l?.loanNo ?? cc.id }]} />
        <Space wrap style={{ marginTop: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {l?.borrowerName ?? '…'}
          </Typography.Title>
          <CollectionStatusTag status={cc.status} />
          <Tag>{t('fin.coll.levelN', { level: cc.level })}</Tag>
        </Space>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('fin.loan.no')}>{l ? <Link to={`/loans/${l.id}`}>{l.loanNo}</Link> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('fin.coll.openedOn')}>
            <BusinessDate date={cc.openedOn} at={cc.createdAt} />
          </Descriptions.Item>
          <Descriptions.Item label={t('fin.loan.status')}>{l ? <LoanStatusTag status={l.status} /> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('fin.loan.classification')}>{l ? <TierTag tier={l.classification} /> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('fin.loan.dpd')}>{l?.daysPastDue ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('fin.loan.outstanding')}>{groupDigits(l?.outstandingPrincipal)}</Descriptions.Item>
          <Descriptions.Item label={t('fin.loan.dueNow')}>
            <Typography.Text strong type="danger">
              {groupDigits(l?.dueNow)}
            </Typography.Text>
          </Descriptions.Item>
          {cc.resolvedOn && <Descriptions.Item label={t('fin.coll.resolvedOn')}>{cc.resolvedOn}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        {active && (
          <Col xs={24} lg={10}>
            <Card title={t('fin.coll.record')}>
              <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'call' }} data-testid="collection-form">
                <Form.Item name="kind" label={t('fin.coll.kind')} rules={[{ required: true }]}>
                  <Select options={KINDS.map((k) => ({ value: k, label: t(`fin.coll.kinds.${k}`) }))} data-testid="collection-kind" />
                </Form.Item>
                {kind === 'promise' && (
                  <Row gutter={12}>
                    <Col span={12}>
                      <Form.Item
                        name="promisedDate"
                        label={t('fin.coll.promisedDate')}
                        rules={[{ required: true, message: t('common.required') }]}
                      >
                        <DatePicker style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item
                        name="promisedAmount"
                        label={t('fin.coll.promisedAmount')}
                        rules={[
                          { required: true, message: t('common.required') },
                          { pattern: amountPattern(scaleOf(l?.currency ?? 'CNY')), message: t('fin.form.amountFormat') },
                        ]}
                      >
                        <Input inputMode="decimal" />
                      </Form.Item>
                    </Col>
                  </Row>
                )}
                <Form.Item
                  name="note"
                  label={t('fin.coll.note')}
                  rules={[{ required: true, message: t('common.required') }, { max: 2000 }]}
                >
                  <Input.TextArea rows={3} data-testid="collection-note" />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={saving} danger={kind === 'escalate'} data-testid="collection-save">
                  {kind === 'escalate' ? t('fin.coll.kinds.escalate') : t('common.save')}
                </Button>
              </Form>
            </Card>
          </Col>
        )}
        <Col xs={24} lg={active ? 14 : 24}>
          <Card title={t('fin.coll.actions')}>
            {cc.actions.length === 0 ? (
              <Typography.Text type="secondary">{t('fin.coll.noActions')}</Typography.Text>
            ) : (
              <Timeline
                data-testid="collection-actions"
                items={cc.actions.map((a: CollectionAction) => ({
                  color: KIND_COLOR[a.kind],
                  content: (
                    <Space orientation="vertical" size={0}>
                      <Space wrap>
                        <Tag color={KIND_COLOR[a.kind]}>{t(`fin.coll.kinds.${a.kind}`)}</Tag>
                        <Typography.Text type="secondary" data-testid="collection-action-date">
                          <BusinessDate date={a.businessDate} at={a.createdAt} />
                        </Typography.Text>
                      </Space>
                      <Typography.Text>{a.note}</Typography.Text>
                      {a.kind === 'promise' && (
                        <Typography.Text type="warning">
                          {t('fin.coll.promiseLine', { date: a.promisedDate, amount: groupDigits(a.promisedAmount) })}
                        </Typography.Text>
                      )}
                    </Space>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
