/**
 * 工作台: what the person at this desk opens the system for. The cards come from the server (each module registers
 * its own for the organisation types it serves), each with the list behind it; pinned notices on top, then the
 * alerts and the work queue, then the cards in a grid that stacks at phone width.
 */
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { NotificationOutlined, PushpinOutlined, WarningOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { Chart } from '../components/Chart';
import { api } from '../lib/api';
import { useMe } from '../lib/auth';
import { groupDigits, toWan } from '../lib/format';
import { useRemote } from '../lib/hooks';
import type { Party, Workbench, WorkbenchCard, WorkbenchWords, WorkQueue } from '../lib/types';

const PUBLISHERS = new Set(['operator', 'bank', 'factor']);
/** Series read as a share of a whole: a pie; the others (DPD buckets, maturity months) as bars. */
const PIE_CARDS = new Set(['financing.five-tier', 'parties.members', 'financing.volume-by-mode']);

function useWords() {
  const { i18n } = useTranslation();
  return (w: WorkbenchWords) => (i18n.language === 'en' ? w.en : w.zh);
}

function CardFigure({ card }: { card: WorkbenchCard }) {
  const { t } = useTranslation();
  if (card.value === null)
    return card.count === null ? null : (
      <Statistic value={card.count} suffix={<span style={{ fontSize: 14 }}>{t('workbench.unit')}</span>} valueStyle={{ fontSize: 22 }} />
    );
  return (
    <Statistic
      value={card.currency ? groupDigits(card.value) : card.value}
      suffix={card.currency ? <span style={{ fontSize: 14 }}>{card.currency}</span> : undefined}
      valueStyle={{ fontSize: 22 }}
      title={card.count !== null ? t('workbench.records', { count: card.count }) : undefined}
    />
  );
}

function SeriesChart({ card }: { card: WorkbenchCard }) {
  const words = useWords();
  const value = (v: string) => (card.currency ? toWan(v) : Number(v));
  const data = card.items.map((i) => ({ name: words(i.label), value: value(i.value) }));
  if (PIE_CARDS.has(card.key))
    return (
      <Chart
        height={220}
        testId={`chart-${card.key}`}
        option={{
          tooltip: { trigger: 'item' },
          legend: { bottom: 0, type: 'scroll' },
          series: [
            { type: 'pie', radius: ['35%', '65%'], center: ['50%', '42%'], data: data.filter((d) => d.value > 0), label: { show: false } },
          ],
        }}
      />
    );
  return (
    <Chart
      height={220}
      testId={`chart-${card.key}`}
      option={{
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 12, top: 24, bottom: 28 },
        xAxis: { type: 'category', data: data.map((d) => d.name) },
        yAxis: { type: 'value', name: card.currency ? '万元' : undefined },
        series: [
          {
            type: 'bar',
            data: data.map((d) => d.value),
            barMaxWidth: 40,
            itemStyle: { color: card.key === 'financing.overdue' ? '#f5222d' : '#1677ff' },
          },
        ],
      }}
    />
  );
}

function CardItems({ card }: { card: WorkbenchCard }) {
  const words = useWords();
  const { t } = useTranslation();
  return (
    <List
      size="small"
      dataSource={card.items}
      locale={{ emptyText: t('workbench.none') }}
      renderItem={(item) => {
        const label = item.link ? <Link to={item.link}>{words(item.label)}</Link> : words(item.label);
        return (
          <List.Item data-testid={`item-${card.key}-${item.key}`} style={{ paddingInline: 0 }}>
            <Typography.Text ellipsis style={{ maxWidth: '55%' }}>
              {label}
              {item.count !== null && card.currency ? <Typography.Text type="secondary"> · {item.count}</Typography.Text> : null}
            </Typography.Text>
            <span style={{ textAlign: 'right' }}>
              <span style={{ fontVariantNumeric: 'tabular-nums' }}>{card.currency ? groupDigits(item.value) : item.value}</span>
              {item.note ? (
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {item.note}
                </Typography.Text>
              ) : null}
            </span>
          </List.Item>
        );
      }}
    />
  );
}

function WorkbenchCardView({ card }: { card: WorkbenchCard }) {
  const words = useWords();
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={words(card.title)}
      extra={card.link ? <Link to={card.link}>{t('workbench.open')}</Link> : null}
      data-testid={`card-${card.key}`}
      style={{ height: '100%' }}
    >
      <CardFigure card={card} />
      {card.kind === 'series' && card.items.length > 0 ? <SeriesChart card={card} /> : null}
      {card.kind === 'breakdown' || card.kind === 'list' ? <CardItems card={card} /> : null}
    </Card>
  );
}

function PublishNotice({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const parties = useRemote<{ items: Party[] }>(open ? '/api/v1/parties?limit=500' : null);
  const audience = Form.useWatch('audience', form);
  const submit = async () => {
    const v = await form.validateFields();
    await api('POST', '/api/v1/workbench/notices', {
      title: v.title,
      body: v.body ?? '',
      pinnedUntil: v.pinnedUntil.format('YYYY-MM-DD'),
      audience: v.audience,
      recipientOrgIds: v.audience === 'named' ? v.recipientOrgIds : undefined,
    });
    message.success(t('workbench.published'));
    setOpen(false);
    form.resetFields();
    onDone();
  };
  return (
    <>
      <Button icon={<NotificationOutlined />} onClick={() => setOpen(true)} data-testid="notice-publish">
        {t('workbench.publish')}
      </Button>
      <Modal
        open={open}
        title={t('workbench.publish')}
        onCancel={() => setOpen(false)}
        onOk={submit}
        okButtonProps={{ 'data-testid': 'notice-submit' } as Record<string, string>}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ audience: 'counterparties', pinnedUntil: dayjs().add(7, 'day') }}>
          <Form.Item name="title" label={t('workbench.noticeTitle')} rules={[{ required: true, max: 120 }]}>
            <Input data-testid="notice-title" />
          </Form.Item>
          <Form.Item name="body" label={t('workbench.noticeBody')} rules={[{ max: 2000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="pinnedUntil" label={t('workbench.pinnedUntil')} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="audience" label={t('workbench.audience')}>
            <Radio.Group>
              <Radio value="counterparties">{t('workbench.audienceAll')}</Radio>
              <Radio value="named">{t('workbench.audienceNamed')}</Radio>
            </Radio.Group>
          </Form.Item>
          {audience === 'named' ? (
            <Form.Item name="recipientOrgIds" label={t('workbench.recipients')} rules={[{ required: true }]}>
              <Select
                mode="multiple"
                loading={parties.loading}
                optionFilterProp="label"
                options={(parties.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
              />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}

export function DashboardPage() {
  const me = useMe();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const wb = useRemote<Workbench>('/api/v1/workbench');
  // 待办: the work queue's counts by kind (approvals, payables to confirm, goods to check in, trades to confirm…)
  const work = useRemote<WorkQueue>('/api/v1/work-queue');
  const waiting = Object.entries(work.data?.counts ?? {}).filter(([, n]) => n > 0);
  const canPublish = PUBLISHERS.has(me.organization.type) && me.user.roles.some((r) => r === 'admin' || r === 'officer');

  return (
    <div data-testid="dashboard">
      <Space style={{ width: '100%', justifyContent: 'space-between', flexWrap: 'wrap', marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t(`portal.${me.organization.type}`)} · {t('dashboard.welcome', { name: me.organization.shortName ?? me.organization.name })}
        </Typography.Title>
        <Space wrap>
          <Tag color="blue" data-testid="workbench-date">
            {t('workbench.businessDate')} {wb.data?.businessDate ?? '—'}
          </Tag>
          {canPublish ? <PublishNotice onDone={wb.reload} /> : null}
        </Space>
      </Space>

      {(wb.data?.notices ?? []).map((n) => (
        <Alert
          key={n.id}
          data-testid={`notice-${n.id}`}
          type="info"
          showIcon
          icon={<PushpinOutlined />}
          style={{ marginBottom: 8 }}
          message={
            <span>
              <strong>{n.title}</strong>
              <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                {n.publisherName} · {t('workbench.pinnedTill', { date: n.pinnedUntil })}
              </Typography.Text>
            </span>
          }
          description={n.body || undefined}
        />
      ))}

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={
              <span>
                <WarningOutlined style={{ color: '#fa541c' }} /> {t('workbench.alerts')} ({wb.data?.alerts.length ?? 0})
              </span>
            }
            data-testid="workbench-alerts"
            loading={wb.loading && !wb.data}
            style={{ height: '100%' }}
          >
            {(wb.data?.alerts.length ?? 0) === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.noAlerts')} />
            ) : (
              <List
                size="small"
                dataSource={wb.data!.alerts.slice(0, 8)}
                renderItem={(a) => (
                  <List.Item style={{ paddingInline: 0 }} data-testid={`alert-${a.source}`}>
                    <Space size={4} wrap>
                      <Tag color={a.severity === 'critical' ? 'red' : 'orange'}>
                        {t(`workbench.source.${a.source}`, { defaultValue: a.source })}
                      </Tag>
                      <Link to={a.link}>{a.title}</Link>
                    </Space>
                    <span style={{ fontVariantNumeric: 'tabular-nums' }}>{a.amount ? groupDigits(a.amount) : (a.date ?? '')}</span>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={`${t('dashboard.workQueue')} (${work.data?.total ?? 0})`}
            extra={<Link to="/inbox">{t('workbench.open')}</Link>}
            data-testid="stat-workQueue"
            loading={work.loading && !work.data}
            style={{ height: '100%' }}
          >
            {waiting.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.nothingWaiting')} />
            ) : (
              <Space wrap>
                {waiting.map(([kind, n]) => (
                  <Tag key={kind} color="purple" style={{ cursor: 'pointer', padding: '4px 8px' }} onClick={() => navigate('/inbox')}>
                    {t(`workQueue.kinds.${kind}`, { defaultValue: kind })} <strong>{n}</strong>
                  </Tag>
                ))}
              </Space>
            )}
          </Card>
        </Col>
        {(wb.data?.cards ?? []).map((card) => (
          <Col xs={24} md={12} xl={8} key={card.key}>
            <WorkbenchCardView card={card} />
          </Col>
        ))}
      </Row>
    </div>
  );
}
