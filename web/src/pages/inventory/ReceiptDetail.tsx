/** A warehouse receipt (电子仓单): what it says (Civil Code art. 909), its signature, its lots, the PDF. */
import { Alert, Button, Card, Descriptions, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useRemote } from '../../lib/hooks';
import { useNarrow } from '../../lib/lists';
import type { WarehouseReceipt } from '../../lib/types';
import { LotStatusTag, ReceiptStatusTag } from './Inventory';
import { ReceiptActions } from './ReceiptActions';
import { ReceiptPolicies } from '../insurance/ReceiptPolicies';

interface Content {
  depositor: { name: string; address: string | null };
  goods: {
    variety: string;
    spec: string | null;
    quantity: string;
    unit: string;
    quality: string | null;
    packaging: string | null;
    marks: string | null;
  };
  lossAllowance: string | null;
  storagePlace: { name: string; address: string };
  storageTerm: { from: string; to: string };
  storageFee: string | null;
  insurance: { amount: string; currency: string; from: string; to: string; insurer: string } | null;
  issuer: { name: string };
  issuePlace: string;
  issueDate: string | null;
}

export function ReceiptDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const narrow = useNarrow();
  const { data: r, reload } = useRemote<WarehouseReceipt>(`/api/v1/inventory/receipts/${id}`);
  if (!r) return <Card loading />;
  const c = r.content as unknown as Content;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0, wordBreak: 'break-all' }}>
          {t('inv.receipt')} {r.receiptNo} <ReceiptStatusTag status={r.status} frozen={r.frozen} />
        </Typography.Title>
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={`/api/v1/inventory/receipts/${r.id}/pdf`} target="_blank" data-testid="receipt-pdf">
            {t('inv.pdf')}
          </Button>
          <ReceiptActions receipt={r} onDone={reload} />
        </Space>
        {(r.parentIds.length > 0 || r.childIds.length > 0) && (
          <Descriptions column={1} size="small" style={{ marginTop: 12 }}>
            {r.parentIds.length > 0 && (
              <Descriptions.Item label={t('inv.derivedFrom')}>
                <ReceiptLinks ids={r.parentIds} />
              </Descriptions.Item>
            )}
            {r.childIds.length > 0 && (
              <Descriptions.Item label={t('inv.derivedInto')}>
                <ReceiptLinks ids={r.childIds} />
              </Descriptions.Item>
            )}
          </Descriptions>
        )}
        <Descriptions column={narrow ? 1 : 2} size="small" style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('inv.depositor')}>{c.depositor.name}</Descriptions.Item>
          <Descriptions.Item label={t('inv.depositorAddress')}>{c.depositor.address ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.holder')}>{r.holderName}</Descriptions.Item>
          <Descriptions.Item label={t('inv.sku')}>
            {c.goods.variety} {c.goods.spec ?? ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('inv.quantity')}>
            {c.goods.quantity} {c.goods.unit}
          </Descriptions.Item>
          <Descriptions.Item label={t('inv.quality')}>{c.goods.quality ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.packaging')}>{c.goods.packaging ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.marks')}>{c.goods.marks ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.lossAllowance')}>{c.lossAllowance ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.storagePlace')}>{`${c.storagePlace.name}，${c.storagePlace.address}`}</Descriptions.Item>
          <Descriptions.Item label={t('inv.storageTerm')}>{`${c.storageTerm.from} ~ ${c.storageTerm.to}`}</Descriptions.Item>
          <Descriptions.Item label={t('inv.storageFee')}>{c.storageFee ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('inv.insurance')}>
            {c.insurance
              ? `${c.insurance.currency} ${c.insurance.amount}，${c.insurance.insurer}，${c.insurance.from} ~ ${c.insurance.to}`
              : t('inv.notInsured')}
            <ReceiptPolicies receiptId={r.id} />
          </Descriptions.Item>
          <Descriptions.Item label={t('inv.issuer')}>{c.issuer.name}</Descriptions.Item>
          <Descriptions.Item label={t('inv.issuePlace')}>{c.issuePlace}</Descriptions.Item>
          <Descriptions.Item label={t('inv.issueDate')}>{c.issueDate ?? '—'}</Descriptions.Item>
        </Descriptions>
        {r.signature ? (
          <Alert
            style={{ marginTop: 12 }}
            type={r.signature.valid ? 'success' : 'error'}
            showIcon
            message={t(r.signature.valid ? 'inv.signatureValid' : 'inv.signatureBroken')}
            description={
              <Typography.Text code style={{ wordBreak: 'break-all' }}>{`${r.signature.algorithm} ${r.signature.sha256}`}</Typography.Text>
            }
          />
        ) : (
          <Alert style={{ marginTop: 12 }} type="warning" showIcon message={t('inv.draftNotValid')} />
        )}
      </Card>
      <Card title={t('inv.tabs.lots')} size="small">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={r.lots ?? []}
          columns={[
            { title: t('inv.lotNo'), dataIndex: 'lotNo', render: (v: string, l) => <Link to={`/inventory/lots/${l.id}`}>{v}</Link> },
            { title: t('inv.quantity'), dataIndex: 'quantity', align: 'right', render: (v: string) => `${v} ${r.unit}` },
            { title: t('inv.status'), dataIndex: 'status', render: (s) => <LotStatusTag status={s} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

/** The receipts a split or merge links this one to, by number, each opening its page. */
function ReceiptLinks({ ids }: { ids: string[] }) {
  return (
    <Space wrap size="small">
      {ids.map((id) => (
        <ReceiptLink key={id} id={id} />
      ))}
    </Space>
  );
}

function ReceiptLink({ id }: { id: string }) {
  const { data } = useRemote<WarehouseReceipt>(`/api/v1/inventory/receipts/${id}`);
  return <Link to={`/inventory/receipts/${id}`}>{data ? `${data.receiptNo}（${data.quantity} ${data.unit}）` : id.slice(0, 8)}</Link>;
}
