/**
 * 换货 under a dynamic pledge: the borrower pledges more of its lots in store or its receipts and takes pledged lots or
 * receipts out (whole), in one step. Before it confirms it reads the pool's value today, what comes in and goes out,
 * the value after against the minimum controlled value; the server values again and refuses below it
 * (PLEDGE_BELOW_CONTROL_VALUE) or for a static pledge (PLEDGE_NOT_DYNAMIC) — the refusal is shown in the dialog.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Checkbox, Descriptions, Flex, Modal, Select, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../lib/api';
import { groupDigits } from '../../lib/format';
import { useNotifyError, useRemote } from '../../lib/hooks';
import { compareAmounts, fromMinor, scaleOf } from '../../lib/money';
import type { InventoryLot, SwapResult, WarehouseReceipt } from '../../lib/types';
import { type GoodsLine, loadGoods, sumMinor } from './goodsValue';

export function SwapModal({
  applicationId,
  currency,
  minControlledValue,
  pledged,
  onClose,
  onDone,
}: {
  applicationId: string;
  currency: string;
  minControlledValue: string | null;
  /** the application's active pledges' goods, valued today */
  pledged: GoodsLine[] | undefined;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const scale = scaleOf(currency);
  const [out, setOut] = useState<string[]>([]);
  const [inKeys, setInKeys] = useState<string[]>([]);
  const [incoming, setIncoming] = useState<Map<string, GoodsLine>>(new Map());
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  // what the borrower could pledge: its lots in store under no receipt, its receipts issued or released
  const lots = useRemote<InventoryLot[]>('/api/v1/inventory/lots?status=in_store&role=owner&limit=500');
  const receipts = useRemote<WarehouseReceipt[]>('/api/v1/inventory/receipts?role=holder&limit=500');
  const candidates = [
    ...(lots.data ?? [])
      .filter((l) => !l.receiptId)
      .map((l) => ({ value: `lot:${l.id}`, label: `${t('invRel.goods.lot')} ${l.lotNo} · ${l.skuName} · ${l.quantity} ${l.unit}` })),
    ...(receipts.data ?? [])
      .filter((r) => (r.status === 'issued' || r.status === 'released') && !r.frozen)
      .map((r) => ({
        value: `receipt:${r.id}`,
        label: `${t('invRel.goods.receipt')} ${r.receiptNo} · ${r.skuName} · ${r.quantity} ${r.unit}`,
      })),
  ];
  // values what is picked to come in, once
  const missing = inKeys.filter((k) => !incoming.has(k)).join(',');
  useEffect(() => {
    if (!missing) return;
    let cancelled = false;
    loadGoods(
      missing.split(',').map((k) => {
        const [subject, id] = k.split(':') as ['lot' | 'receipt', string];
        return { subject, id };
      }),
      currency,
    )
      .then((lines) => !cancelled && setIncoming((m) => new Map([...m, ...lines.map((l) => [l.key, l] as const)])))
      .catch(notify);
    return () => {
      cancelled = true;
    };
  }, [missing, currency, notify]);

  const pool = pledged ?? [];
  const now = sumMinor(pool.map((l) => l.valueMinor));
  const removed = sumMinor(pool.filter((l) => out.includes(l.pledge?.id ?? '')).map((l) => l.valueMinor));
  const added = sumMinor(inKeys.map((k) => incoming.get(k)?.valueMinor ?? null));
  const after = now === null || removed === null || added === null ? null : now - removed + added;
  const afterText = after === null ? null : fromMinor(after, scale);
  const below = afterText !== null && minControlledValue !== null && compareAmounts(afterText, minControlledValue) < 0;
  const money = (minor: bigint | null) => (minor === null ? '—' : `${groupDigits(fromMinor(minor, scale))} ${currency}`);

  const submit = () => {
    setBusy(true);
    const ids = (subject: string) => inKeys.filter((k) => k.startsWith(`${subject}:`)).map((k) => k.slice(subject.length + 1));
    post<SwapResult>(`/api/v1/inventory/applications/${applicationId}/swaps`, {
      lotIds: ids('lot'),
      receiptIds: ids('receipt'),
      releasePledgeIds: out,
    })
      .then((r) => {
        void message.success(
          t('invRel.swap.done', { value: `${groupDigits(r.value)} ${currency}`, min: `${groupDigits(r.minControlledValue)} ${currency}` }),
        );
        onDone();
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 409) setRefusal(error.message);
        else notify(error);
      })
      .finally(() => setBusy(false));
  };
  return (
    <Modal
      open
      title={t('invRel.swap.title')}
      onCancel={onClose}
      onOk={submit}
      okText={t('invRel.swap.submit')}
      confirmLoading={busy}
      okButtonProps={{ disabled: out.length + inKeys.length === 0 || below, 'data-testid': 'swap-submit' } as never}
      width={720}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('invRel.swap.hint')}</Typography.Paragraph>
      <Typography.Title level={5}>{t('invRel.swap.out')}</Typography.Title>
      {!pledged ? (
        <Spin />
      ) : (
        <Checkbox.Group
          value={out}
          onChange={(v) => {
            setRefusal(undefined);
            setOut(v as string[]);
          }}
          style={{ width: '100%' }}
          data-testid="swap-out"
        >
          <Flex vertical gap={6} style={{ width: '100%' }}>
            {pool.map((l) => (
              <Checkbox key={l.key} value={l.pledge?.id}>
                <Typography.Text strong>{l.no}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {t(`invRel.goods.${l.subject}`)} · {l.skuName} · {l.quantity} {l.unit} · {money(l.valueMinor)}
                </Typography.Text>
              </Checkbox>
            ))}
          </Flex>
        </Checkbox.Group>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('invRel.swap.in')}
      </Typography.Title>
      <Select
        mode="multiple"
        style={{ width: '100%' }}
        placeholder={t('invRel.swap.inPlaceholder')}
        loading={lots.loading || receipts.loading}
        value={inKeys}
        onChange={(v: string[]) => {
          setRefusal(undefined);
          setInKeys(v);
        }}
        optionFilterProp="label"
        options={candidates}
        data-testid="swap-in"
      />
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered style={{ marginTop: 16 }} data-testid="swap-figures">
        <Descriptions.Item label={t('invRel.swap.valueNow')}>{money(now)}</Descriptions.Item>
        <Descriptions.Item label={t('invRel.swap.added')}>{money(added)}</Descriptions.Item>
        <Descriptions.Item label={t('invRel.swap.removed')}>{money(removed)}</Descriptions.Item>
        <Descriptions.Item label={t('invRel.swap.valueAfter')}>
          <Typography.Text strong type={below ? 'danger' : 'success'} data-testid="swap-value-after">
            {money(after)}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('invRel.swap.min')} span={2}>
          {minControlledValue === null ? '—' : `${groupDigits(minControlledValue)} ${currency}`}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
        {t('invRel.request.estimate')}
      </Typography.Paragraph>
      {below && <Alert type="warning" showIcon title={t('invRel.swap.below')} data-testid="swap-below" />}
      {refusal && (
        <Alert
          type="error"
          showIcon
          title={t('invRel.swap.refused')}
          description={refusal}
          style={{ marginTop: 8 }}
          data-testid="swap-refused"
        />
      )}
    </Modal>
  );
}
