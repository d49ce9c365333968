/**
 * 申请提货/解押 (static pledge): the borrower ticks the pledged goods to take out — a quantity of a lot (the units by
 * serial number for serial-tracked goods) or whole receipts — and reads what the pick is worth today against what its
 * repayments free before it submits; more than that is refused by the server (RELEASE_EXCEEDS_REPAID), which values
 * the goods again.
 */
import { useState } from 'react';
import { Alert, App, Card, Checkbox, Descriptions, Flex, Input, Modal, Select, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, post } from '../../lib/api';
import { groupDigits } from '../../lib/format';
import { useNotifyError } from '../../lib/hooks';
import { compareAmounts, fromMinor, scaleOf, toMinor } from '../../lib/money';
import type { ReleaseAllowance, ReleaseRequest } from '../../lib/types';
import { type GoodsLine, lineValueMinor, partValueMinor, sumMinor } from './goodsValue';

interface Pick {
  on: boolean;
  quantity: string;
  serials: string[];
}

const quantityPattern = (scale: number) => new RegExp(scale > 0 ? `^\\d{1,15}(\\.\\d{1,${scale}})?$` : '^\\d{1,15}$');

/** A quantity the borrower may ask for out of a lot: more than nothing, at most what the lot holds, in its decimals. */
function quantityValid(line: GoodsLine, quantity: string): boolean {
  const scale = line.quantityScale;
  if (!quantityPattern(scale).test(quantity)) return false;
  const asked = toMinor(quantity, scale);
  return asked > 0n && asked <= toMinor(line.quantity, scale);
}

/** What the picked part of a line is worth today (null: unknown — no price, or a quantity not yet valid). */
function pickValue(line: GoodsLine, pick: Pick, currency: string): bigint | null {
  if (line.subject === 'receipt') return line.valueMinor;
  if (line.serialTracked) {
    if (pick.serials.length === line.serials.length) return line.valueMinor;
    return partValueMinor(line.quantity, String(pick.serials.length), line.price, currency);
  }
  if (!quantityValid(line, pick.quantity)) return null;
  return pick.quantity === line.quantity
    ? lineValueMinor(line.quantity, line.price, currency)
    : partValueMinor(line.quantity, pick.quantity, line.price, currency);
}

export function ReleaseRequestModal({
  applicationId,
  allowance,
  goods,
  onClose,
}: {
  applicationId: string;
  allowance: ReleaseAllowance;
  goods: GoodsLine[] | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const navigate = useNavigate();
  const [picks, setPicks] = useState<Record<string, Pick>>({});
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const currency = allowance.currency;
  const scale = scaleOf(currency);
  const pickOf = (l: GoodsLine): Pick => picks[l.key] ?? { on: false, quantity: l.quantity, serials: [] };
  const set = (l: GoodsLine, change: Partial<Pick>) => {
    setRefusal(undefined);
    setPicks((p) => ({ ...p, [l.key]: { ...pickOf(l), ...change } }));
  };
  const picked = (goods ?? []).filter((l) => pickOf(l).on);
  const total = sumMinor(picked.map((l) => pickValue(l, pickOf(l), currency)));
  const totalText = total === null ? null : fromMinor(total, scale);
  const exceeds = totalText !== null && compareAmounts(totalText, allowance.available) > 0;
  const incomplete = picked.some((l) =>
    l.serialTracked ? pickOf(l).serials.length === 0 : l.subject === 'lot' && !quantityValid(l, pickOf(l).quantity),
  );
  const canSubmit = picked.length > 0 && !exceeds && !incomplete;
  const submit = () => {
    setBusy(true);
    const items = picked.map((l) => {
      if (l.subject === 'receipt') return { receiptId: l.id };
      const p = pickOf(l);
      if (l.serialTracked) return { lotId: l.id, quantity: String(p.serials.length), serials: p.serials };
      return { lotId: l.id, quantity: p.quantity };
    });
    post<ReleaseRequest>('/api/v1/inventory/releases', { applicationId, items, note: note.trim() || undefined })
      .then((r) => {
        void message.success(t('invRel.request.submitted'));
        onClose();
        navigate(`/inventory/releases/${r.id}`);
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 409) setRefusal(error.message);
        else notify(error);
      })
      .finally(() => setBusy(false));
  };
  const money = (v: string) => `${groupDigits(v)} ${currency}`;
  return (
    <Modal
      open
      title={t('invRel.request.title')}
      onCancel={onClose}
      onOk={submit}
      okText={t('invRel.request.submit')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !canSubmit, 'data-testid': 'release-submit' } as never}
      width={720}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('invRel.request.hint')}</Typography.Paragraph>
      {!goods ? (
        <Spin />
      ) : (
        <Flex vertical gap={8} data-testid="release-picker">
          {goods.map((l) => {
            const p = pickOf(l);
            const value = p.on ? pickValue(l, p, currency) : l.valueMinor;
            const qOk = l.subject !== 'lot' || l.serialTracked || quantityValid(l, p.quantity);
            return (
              <Card key={l.key} size="small" data-testid={`release-pick-${l.no}`}>
                <Flex wrap gap={8} justify="space-between" align="center">
                  <Checkbox checked={p.on} onChange={(e) => set(l, { on: e.target.checked })} data-testid="release-pick">
                    <Typography.Text strong>{l.no}</Typography.Text>{' '}
                    <Typography.Text type="secondary">
                      {t(`invRel.goods.${l.subject}`)} · {l.skuName} · {l.quantity} {l.unit}
                    </Typography.Text>
                  </Checkbox>
                  <Typography.Text type={p.on ? undefined : 'secondary'}>
                    {value === null ? t('invRel.request.unpriced') : money(fromMinor(value, scale))}
                  </Typography.Text>
                </Flex>
                {p.on && l.subject === 'lot' && (
                  <div style={{ marginTop: 8 }}>
                    {l.serialTracked ? (
                      <Select
                        mode="multiple"
                        style={{ width: '100%' }}
                        placeholder={t('invRel.request.serials')}
                        value={p.serials}
                        onChange={(serials: string[]) => set(l, { serials })}
                        options={l.serials.map((s) => ({ value: s, label: s }))}
                        data-testid="release-serials"
                      />
                    ) : (
                      <Input
                        inputMode="decimal"
                        prefix={t('invRel.request.quantity')}
                        suffix={l.unit}
                        value={p.quantity}
                        status={qOk ? undefined : 'error'}
                        onChange={(e) => set(l, { quantity: e.target.value.trim() })}
                        style={{ maxWidth: 320 }}
                        data-testid="release-quantity"
                      />
                    )}
                  </div>
                )}
              </Card>
            );
          })}
        </Flex>
      )}
      <Input.TextArea
        rows={2}
        maxLength={500}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder={t('invRel.note')}
        style={{ marginTop: 12 }}
      />
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginTop: 12 }} bordered>
        <Descriptions.Item label={t('invRel.request.pickValue')}>
          <Typography.Text strong type={exceeds ? 'danger' : undefined} data-testid="release-pick-value">
            {totalText === null ? '—' : money(totalText)}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('invRel.request.available')}>
          <Typography.Text strong>{money(allowance.available)}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('invRel.request.estimate')}
        </Typography.Text>
        {compareAmounts(allowance.available, '0') <= 0 && <Alert type="warning" showIcon title={t('invRel.request.noAllowance')} />}
        {exceeds && <Alert type="error" showIcon title={t('invRel.request.exceeds')} data-testid="release-exceeds" />}
        {refusal && <Alert type="error" showIcon title={refusal} data-testid="release-refused" />}
        {picked.length === 0 && <Alert type="info" showIcon title={t('invRel.request.nothing')} />}
      </Space>
    </Modal>
  );
}
