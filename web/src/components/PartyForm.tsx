import { useEffect, useState } from 'react';
import { Alert, Button, Col, DatePicker, Drawer, Form, Input, Row, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../lib/api';
import { amountPattern, scaleOf } from '../lib/money';
import type { OrgType, Party, PartyDetail } from '../lib/types';

interface Props {
  open: boolean;
  onClose(): void;
  onSaved(party: Party): void;
  /** Editing an existing party; otherwise a new one of one of `types`. */
  party?: PartyDetail;
  types?: OrgType[];
}

interface Values {
  type?: OrgType;
  name: string;
  shortName?: string;
  creditCode: string;
  legalRepresentative?: string;
  registeredCapital?: string;
  foundedOn?: dayjs.Dayjs;
  address?: string;
  region?: string;
  industry?: string;
  phone?: string;
  email?: string;
}

const FIELD_OF_ERROR: Record<string, keyof Values> = {
  INVALID_CREDIT_CODE: 'creditCode',
  CREDIT_CODE_TAKEN: 'creditCode',
  INVALID_AMOUNT: 'registeredCapital',
  PARTY_TYPE_NOT_ALLOWED: 'type',
};

/** Create or edit a party. Server validation errors land on the field they concern. */
export function PartyForm({ open, onClose, onSaved, party, types = [] }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    setError(undefined);
    form.resetFields();
    if (party) {
      form.setFieldsValue({
        name: party.name,
        shortName: party.shortName ?? undefined,
        creditCode: party.creditCode ?? '',
        legalRepresentative: party.legalRepresentative ?? undefined,
        registeredCapital: party.registeredCapital ?? undefined,
        foundedOn: party.foundedOn ? dayjs(party.foundedOn) : undefined,
        address: party.address ?? undefined,
        region: party.region ?? undefined,
        industry: party.industry ?? undefined,
        phone: party.phone ?? undefined,
        email: party.email ?? undefined,
      });
    } else if (types.length > 0) form.setFieldsValue({ type: types[0] });
  }, [open, party, types, form]);

  const submit = async (values: Values) => {
    setSaving(true);
    setError(undefined);
    const body = {
      ...values,
      foundedOn: values.foundedOn ? values.foundedOn.format('YYYY-MM-DD') : undefined,
      registeredCapital: values.registeredCapital || undefined,
    };
    try {
      const saved = party
        ? await api<Party>('PATCH', `/api/v1/parties/${party.id}`, { ...body, type: undefined, version: party.version })
        : await api<Party>('POST', '/api/v1/parties', body);
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError) {
        const field = FIELD_OF_ERROR[err.code];
        if (field) form.setFields([{ name: field, errors: [err.message] }]);
        else setError(err.message);
      } else setError(t('errors.network'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      title={party ? t('party.editTitle') : t('party.createTitle')}
      open={open}
      onClose={onClose}
      width={640}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="party-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="party-form-error" />}
      <Form form={form} layout="vertical" onFinish={submit} data-testid="party-form">
        <Row gutter={16}>
          {!party && (
            <Col xs={24} md={12}>
              <Form.Item name="type" label={t('party.type')} rules={[{ required: true, message: t('common.required') }]}>
                <Select options={types.map((type) => ({ value: type, label: t(`orgType.${type}`) }))} data-testid="party-type" />
              </Form.Item>
            </Col>
          )}
          {/* a natural person (个人客户) has no credit code */}
          <Form.Item noStyle shouldUpdate={(a, b) => a.type !== b.type}>
            {({ getFieldValue }) =>
              (party ? party.type : getFieldValue('type')) === 'individual' ? null : (
                <Col xs={24} md={12}>
                  <Form.Item
                    name="creditCode"
                    label={t('party.creditCode')}
                    rules={[
                      { required: true, message: t('common.required') },
                      { len: 18, message: t('party.creditCode') + ': 18' },
                    ]}
                    normalize={(v: string) => v?.toUpperCase()}
                  >
                    <Input maxLength={18} data-testid="party-credit-code" />
                  </Form.Item>
                </Col>
              )
            }
          </Form.Item>
          <Col xs={24}>
            <Form.Item name="name" label={t('party.name')} rules={[{ required: true, message: t('common.required') }, { max: 200 }]}>
              <Input data-testid="party-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="shortName" label={t('party.shortName')} rules={[{ max: 60 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="legalRepresentative" label={t('party.legalRepresentative')}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="registeredCapital"
              label={t('party.registeredCapital')}
              rules={[{ pattern: amountPattern(scaleOf('CNY')), message: '0.00' }]}
            >
              <Input inputMode="decimal" placeholder="10000000.00" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="foundedOn" label={t('party.foundedOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="region" label={t('party.region')}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="industry" label={t('party.industry')}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t('party.address')}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={t('party.phone')}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="email" label={t('party.email')} rules={[{ type: 'email' }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
