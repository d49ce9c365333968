/**
 * 资信管理 on a customer's page: the caller's own extra fields (rendered from their definitions, checked by the
 * server), an individual customer's file, and the caller's score history of the customer.
 */
import { useState } from 'react';
import { App, Button, DatePicker, Descriptions, Empty, Form, Input, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../lib/api';
import { useNotifyError, useRemote } from '../../lib/hooks';
import type { CreditScore, FieldValue, PersonEntry } from '../../lib/scoring';
import { ScoreTable } from '../../pages/scoring/Scores';

export function CustomFields({ partyId, canEdit }: { partyId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const fields = useRemote<FieldValue[]>(`/api/v1/parties/${partyId}/custom-fields`);
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm();
  const label = (f: FieldValue) => (i18n.language === 'en' ? f.labelEn : f.labelZh);
  if (!fields.data?.length) return <Empty description={t('scoring.fields.none')} />;
  const save = (values: Record<string, unknown>) => {
    const body: Record<string, string | null> = {};
    for (const f of fields.data ?? []) {
      const v = values[f.key];
      body[f.key] = v === undefined || v === null || v === '' ? null : dayjs.isDayjs(v) ? v.format('YYYY-MM-DD') : String(v);
    }
    api('PUT', `/api/v1/parties/${partyId}/custom-fields`, { values: body })
      .then(() => {
        void message.success(t('common.saved'));
        setEditing(false);
        fields.reload();
      })
      .catch((err: unknown) => {
        const key = err instanceof ApiError ? (err.details.key as string | undefined) : undefined;
        if (key && err instanceof ApiError) form.setFields([{ name: key, errors: [err.message] }]);
        else notify(err);
      });
  };
  if (!editing)
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="custom-fields">
          {fields.data.map((f) => (
            <Descriptions.Item key={f.key} label={label(f)}>
              {f.value ?? '—'}
            </Descriptions.Item>
          ))}
        </Descriptions>
        {canEdit && (
          <Button onClick={() => setEditing(true)} data-testid="custom-fields-edit">
            {t('common.edit')}
          </Button>
        )}
      </Space>
    );
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 640 }}
      onFinish={save}
      initialValues={Object.fromEntries(
        fields.data.map((f) => [f.key, f.fieldType === 'date' && f.value ? dayjs(f.value) : (f.value ?? undefined)]),
      )}
    >
      {fields.data.map((f) => (
        <Form.Item key={f.key} name={f.key} label={label(f)} rules={f.required ? [{ required: true, message: t('common.required') }] : []}>
          {f.fieldType === 'enum' ? (
            <Select allowClear options={f.options.map((o) => ({ value: o, label: o }))} />
          ) : f.fieldType === 'date' ? (
            <DatePicker />
          ) : (
            <Input inputMode={f.fieldType === 'text' ? 'text' : 'decimal'} />
          )}
        </Form.Item>
      ))}
      <Space>
        <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit">
          {t('common.save')}
        </Button>
      </Space>
    </Form>
  );
}

const SECTIONS = ['basic', 'family', 'shop', 'occupation', 'history', 'economic'] as const;
/** The fields in the order of the sections' forms (the database's jsonb keeps its own key order). */
const FIELD_ORDER = [
  'gender',
  'birthDate',
  'idNumberMasked',
  'maritalStatus',
  'education',
  'mobile',
  'residence',
  'householdRegistration',
  'name',
  'relation',
  'phone',
  'occupation',
  'employer',
  'monthlyIncome',
  'address',
  'businessScope',
  'ownership',
  'areaSqm',
  'openedOn',
  'monthlyRevenue',
  'monthlyRent',
  'position',
  'industry',
  'since',
  'from',
  'to',
  'organisation',
  'role',
  'description',
  'asOf',
  'annualIncome',
  'totalAssets',
  'totalLiabilities',
  'properties',
  'vehicles',
  'note',
];
const ordered = (data: Record<string, unknown>) => Object.entries(data).sort(([a], [b]) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b));

/** An individual customer's file, section by section (entries are added through the API / the officer's forms). */
export function PersonFile({ partyId }: { partyId: string }) {
  const { t } = useTranslation();
  const file = useRemote<PersonEntry[]>(`/api/v1/parties/${partyId}/person`);
  if (!file.data) return null;
  const value = (v: unknown) => (typeof v === 'string' && t(`scoring.person.values.${v}`, { defaultValue: '' })) || String(v);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="person-file">
      {SECTIONS.map((section) => {
        const entries = file.data!.filter((e) => e.section === section);
        return (
          <div key={section}>
            <Typography.Title level={5}>{t(`scoring.person.sections.${section}`)}</Typography.Title>
            {entries.length === 0 ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : (
              entries.map((e) => (
                <Descriptions key={e.id} bordered size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 8 }}>
                  {ordered(e.data).map(([k, v]) => (
                    <Descriptions.Item key={k} label={t(`scoring.person.fields.${k}`, { defaultValue: k })}>
                      {value(v)}
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              ))
            )}
          </div>
        );
      })}
    </Space>
  );
}

export function PartyScores({ partyId, canScore }: { partyId: string; canScore: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const scores = useRemote<CreditScore[]>(`/api/v1/scoring/scores?partyId=${partyId}`);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canScore && (
        <Button type="primary" onClick={() => navigate(`/scoring/score?partyId=${partyId}`)} data-testid="party-score">
          {t('scoring.scores.new')}
        </Button>
      )}
      <ScoreTable scores={scores.data ?? []} loading={scores.loading} />
    </Space>
  );
}
