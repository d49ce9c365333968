/** 资信评分: the assessor's scores (newest first), a new score, and one score's breakdown with its chart. */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Result, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Chart } from '../../components/Chart';
import { get, post, query } from '../../lib/api';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { LEVELS, bandText, labelOf, type CreditScore, type Level, type ScoringTemplate } from '../../lib/scoring';

const GRADE_COLOR: Record<string, string> = { AAA: 'green', AA: 'cyan', A: 'blue', B: 'orange', C: 'red' };
export const GradeTag = ({ grade }: { grade: string }) => <Tag color={GRADE_COLOR[grade] ?? 'default'}>{grade}</Tag>;

export function ScoresPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useRemote<CreditScore[]>('/api/v1/scoring/scores?limit=200');
  return (
    <Card
      title={t('scoring.scores.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/scoring/score')} data-testid="score-new">
          {t('scoring.scores.new')}
        </Button>
      }
    >
      <ScoreTable scores={list.data ?? []} loading={list.loading} showParty />
    </Card>
  );
}

export function ScoreTable({ scores, loading, showParty }: { scores: CreditScore[]; loading?: boolean; showParty?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={scores}
      scroll={{ x: true }}
      columns={[
        ...(showParty ? [{ title: t('scoring.customer'), dataIndex: 'partyName' }] : []),
        { title: t('scoring.scores.score'), dataIndex: 'score', align: 'right' as const },
        { title: t('scoring.scores.grade'), dataIndex: 'grade', render: (g: string) => <GradeTag grade={g} /> },
        {
          title: t('scoring.scores.template'),
          render: (_: unknown, r: CreditScore) => `${r.templateName ?? ''} v${r.templateVersion}`,
        },
        { title: t('scoring.scores.date'), dataIndex: 'businessDate' },
        {
          title: t('common.actions'),
          render: (_: unknown, r: CreditScore) => (
            <Link to={`/scoring/scores/${r.id}`} data-testid="score-open">
              {t('common.detail')}
            </Link>
          ),
        },
      ]}
    />
  );
}

interface Preview {
  statement: CreditScore['statement'];
  values: Record<string, string | null>;
}

export function ScoreFormPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const notify = useNotifyError();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [partyId, setPartyId] = useState<string | undefined>(params.get('partyId') ?? undefined);
  const [templateId, setTemplateId] = useState<string>();
  const [partyOptions, setPartyOptions] = useState<{ value: string; label: string }[]>([]);
  const [picked, setPicked] = useState<{ value: string; label: string }>();
  const templates = useRemote<ScoringTemplate[]>('/api/v1/scoring/templates?status=published');
  const preview = useRemote<Preview>(partyId && templateId ? `/api/v1/scoring/templates/${templateId}/preview?partyId=${partyId}` : null);
  const template = templates.data?.find((x) => x.id === templateId);
  const definition = template?.versions.find((v) => v.version === template.publishedVersion)?.definition;
  const [saving, setSaving] = useState(false);
  const searchParties = (q: string) =>
    get<{ items: { id: string; name: string }[] }>(`/api/v1/parties${query({ q, pageSize: 20 })}`)
      .then((r) => setPartyOptions(r.items.map((p) => ({ value: p.id, label: p.name }))))
      .catch(notify);
  // the first page of customers, and the one the link came with (its name, not its id, in the select)
  useEffect(() => {
    void searchParties('');
    const given = params.get('partyId');
    if (given)
      get<{ id: string; name: string }>(`/api/v1/parties/${given}`)
        .then((p) => setPicked({ value: p.id, label: p.name }))
        .catch(notify);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const submit = (values: { levels: Record<string, Level>; note?: string }) => {
    setSaving(true);
    post<CreditScore>('/api/v1/scoring/scores', { partyId, templateId, levels: values.levels, note: values.note || undefined })
      .then((score) => {
        void message.success(t('common.saved'));
        navigate(`/scoring/scores/${score.id}`);
      })
      .catch(notify)
      .finally(() => setSaving(false));
  };
  return (
    <Card title={t('scoring.scores.new')}>
      <Form layout="vertical" onFinish={submit} style={{ maxWidth: 760 }} data-testid="score-form">
        <Form.Item label={t('scoring.customer')} required>
          <Select
            showSearch
            value={partyId}
            filterOption={false}
            onSearch={(q) => void searchParties(q)}
            onChange={setPartyId}
            options={picked ? [picked, ...partyOptions.filter((o) => o.value !== picked.value)] : partyOptions}
            data-testid="score-party"
          />
        </Form.Item>
        <Form.Item label={t('scoring.scores.template')} required>
          <Select
            value={templateId}
            onChange={setTemplateId}
            options={(templates.data ?? []).map((x) => ({
              value: x.id,
              label: `${x.name} v${x.publishedVersion}（${t(`scoring.customerType.${x.customerType}`)}）`,
            }))}
            data-testid="score-template"
          />
        </Form.Item>
        {definition && preview.data && (
          <>
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              message={
                preview.data.statement
                  ? t('scoring.scores.statementUsed', {
                      period: t(`scoring.period.${preview.data.statement.periodType}`),
                      end: preview.data.statement.periodEnd,
                    })
                  : t('scoring.scores.noStatement')
              }
            />
            <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }} data-testid="score-quantitative">
              {definition.indicators
                .filter((i) => i.kind === 'quantitative')
                .map((i) => (
                  <Descriptions.Item key={i.key} label={labelOf(i.label, i18n.language)}>
                    {preview.data?.values[i.key] ?? t('scoring.noData')}
                  </Descriptions.Item>
                ))}
            </Descriptions>
            {definition.indicators
              .filter((i) => i.kind === 'qualitative')
              .map((i) => (
                <Form.Item
                  key={i.key}
                  name={['levels', i.key]}
                  label={`${labelOf(i.label, i18n.language)}（${t('scoring.weight')} ${i.weight}）`}
                  rules={[{ required: true, message: t('common.required') }]}
                >
                  <Select
                    data-testid={`level-${i.key}`}
                    options={LEVELS.map((l) => ({
                      value: l,
                      label: `${t(`scoring.level.${l}`)}（${i.kind === 'qualitative' ? i.levels[l] : ''}）`,
                    }))}
                  />
                </Form.Item>
              ))}
            <Form.Item name="note" label={t('scoring.scores.note')}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="score-submit">
              {t('scoring.scores.submit')}
            </Button>
          </>
        )}
      </Form>
    </Card>
  );
}

export function ScoreDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const score = useRemote<CreditScore>(`/api/v1/scoring/scores/${id}`);
  const s = score.data;
  if (score.error?.status === 404)
    return (
      <Result
        status="404"
        title="404"
        subTitle={score.error.message}
        extra={<Button onClick={() => navigate(-1)}>{t('common.back')}</Button>}
      />
    );
  if (!s) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const names = s.indicators.map((r) => labelOf(r.label, i18n.language));
  return (
    <Card title={t('scoring.scores.detail')}>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} data-testid="score-summary">
          <Descriptions.Item label={t('scoring.customer')}>
            <Link to={`/parties/${s.partyId}`}>{s.partyName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('scoring.scores.score')}>
            <Typography.Text strong style={{ fontSize: 18 }} data-testid="score-value">
              {s.score}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('scoring.scores.grade')}>
            <span data-testid="score-grade">
              <GradeTag grade={s.grade} />
            </span>
            {s.grade !== s.computedGrade && (
              <Typography.Text type="secondary">{t('scoring.scores.capped', { grade: s.computedGrade })}</Typography.Text>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('scoring.scores.template')}>{`${s.templateName} v${s.templateVersion}`}</Descriptions.Item>
          <Descriptions.Item label={t('scoring.scores.statement')}>
            {s.statement ? `${t(`scoring.period.${s.statement.periodType}`)} ${s.statement.periodEnd}` : t('scoring.scores.noStatement')}
          </Descriptions.Item>
          <Descriptions.Item label={t('scoring.scores.date')}>{s.businessDate}</Descriptions.Item>
          {s.note && (
            <Descriptions.Item label={t('scoring.scores.note')} span={3}>
              {s.note}
            </Descriptions.Item>
          )}
        </Descriptions>
        {s.capsApplied.map((c) => (
          <Alert
            key={c.maxGrade}
            type="warning"
            showIcon
            message={t('scoring.scores.capApplied', { grade: c.maxGrade, keys: c.missingFullMarks.join('、') })}
          />
        ))}
        <Chart
          testId="score-chart"
          height={Math.max(240, s.indicators.length * 34)}
          option={{
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            legend: { top: 0, data: [t('scoring.contribution'), t('scoring.lost')] },
            grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
            xAxis: { type: 'value' },
            yAxis: { type: 'category', data: names, inverse: true },
            series: [
              {
                name: t('scoring.contribution'),
                type: 'bar',
                stack: 'w',
                data: s.indicators.map((r) => Number(r.contribution)),
                color: '#1677ff',
              },
              {
                name: t('scoring.lost'),
                type: 'bar',
                stack: 'w',
                data: s.indicators.map((r) => Number(r.weight) - Number(r.contribution)),
                color: '#e8e8e8',
              },
            ],
          }}
        />
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          scroll={{ x: 720 }}
          dataSource={s.indicators}
          data-testid="score-breakdown"
          columns={[
            { title: t('scoring.indicator'), render: (_: unknown, r) => labelOf(r.label, i18n.language) },
            {
              title: t('scoring.value'),
              render: (_: unknown, r) =>
                r.kind === 'quantitative' ? (r.value ?? <Tag>{t('scoring.noData')}</Tag>) : r.level ? t(`scoring.level.${r.level}`) : '—',
            },
            { title: t('scoring.band'), render: (_: unknown, r) => (r.band ? bandText(r.band) : '—') },
            { title: t('scoring.points'), render: (_: unknown, r) => `${r.points} / ${r.maxPoints}` },
            { title: t('scoring.weight'), dataIndex: 'weight', align: 'right' },
            { title: t('scoring.contribution'), dataIndex: 'contribution', align: 'right' },
            { title: t('scoring.fullMarks'), render: (_: unknown, r) => (r.fullMarks ? <Tag color="green">✓</Tag> : null) },
          ]}
        />
      </Space>
    </Card>
  );
}
