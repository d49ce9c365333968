import { useState } from 'react';
import { Card, Drawer, Space, Table, Tag } from 'antd';
import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { money } from '../components/credit/Figures';
import { useMe } from '../lib/auth';
import { useRemote } from '../lib/hooks';
import type { ItemOf, ResponseOf } from '../lib/types';

type Account = ItemOf<ResponseOf<'/api/v1/ledger/accounts'>>;

type TrialLedger = ItemOf<ResponseOf<'/api/v1/ledger/trial-balance'>>;

interface Statement {
  lines: {
    seq: string;
    businessDate: string;
    code: number;
    debit: string;
    credit: string;
    balance: string;
    refType: string | null;
    refId: string | null;
  }[];
}

const ledgerName = (l: number, currency: string | null) => `${l}${currency ? ` · ${currency}${l >= 100000 ? ' 额度' : ''}` : ''}`;

export function LedgerPage() {
  const me = useMe();
  const { t } = useTranslation();
  const operator = me.organization.type === 'operator';
  const trial = useRemote<TrialLedger[]>(operator ? '/api/v1/ledger/trial-balance' : null);
  const accounts = useRemote<Account[]>('/api/v1/ledger/accounts?limit=500');
  const [open, setOpen] = useState<Account>();
  const statement = useRemote<Statement>(open ? `/api/v1/ledger/accounts/${open.id}/statement?limit=200` : null);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {operator && (
        <Card title={t('ledger.trialBalance')}>
          <Table<TrialLedger>
            rowKey="ledger"
            size="small"
            pagination={false}
            dataSource={trial.data}
            loading={trial.loading}
            data-testid="trial-balance"
            scroll={{ x: 800 }}
            expandable={{
              expandedRowRender: (l) => (
                <Table
                  size="small"
                  pagination={false}
                  rowKey="code"
                  dataSource={l.codes}
                  columns={[
                    {
                      title: t('ledger.code'),
                      dataIndex: 'code',
                      render: (c: number) => t(`ledger.codes.${c}`, { defaultValue: String(c) }),
                    },
                    { title: t('ledger.accounts'), dataIndex: 'accounts' },
                    { title: t('ledger.debitsPosted'), dataIndex: 'debitsPosted', align: 'right', render: money },
                    { title: t('ledger.creditsPosted'), dataIndex: 'creditsPosted', align: 'right', render: money },
                    { title: t('ledger.debitsPending'), dataIndex: 'debitsPending', align: 'right', render: money },
                    { title: t('ledger.creditsPending'), dataIndex: 'creditsPending', align: 'right', render: money },
                  ]}
                />
              ),
            }}
            columns={[
              { title: t('ledger.ledger'), dataIndex: 'ledger', render: (l: number, r) => ledgerName(l, r.currency) },
              { title: t('ledger.debitsPosted'), dataIndex: 'debitsPosted', align: 'right', render: money },
              { title: t('ledger.creditsPosted'), dataIndex: 'creditsPosted', align: 'right', render: money },
              { title: t('ledger.debitsPending'), dataIndex: 'debitsPending', align: 'right', render: money },
              { title: t('ledger.creditsPending'), dataIndex: 'creditsPending', align: 'right', render: money },
              {
                title: t('ledger.balanced'),
                dataIndex: 'balanced',
                render: (b: boolean) =>
                  b ? (
                    <Tag icon={<CheckCircleTwoTone twoToneColor="#52c41a" />} color="success">
                      {t('ledger.balanced')}
                    </Tag>
                  ) : (
                    <Tag icon={<CloseCircleTwoTone twoToneColor="#f5222d" />} color="error">
                      {t('ledger.unbalanced')}
                    </Tag>
                  ),
              },
            ]}
          />
        </Card>
      )}
      <Card title={t('ledger.accounts')}>
        <Table<Account>
          rowKey="id"
          size="small"
          loading={accounts.loading}
          dataSource={accounts.data}
          scroll={{ x: 900 }}
          onRow={(a) => ({ onClick: () => setOpen(a), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('ledger.owner'), dataIndex: 'ownerName' },
            { title: t('ledger.code'), dataIndex: 'code', render: (c: number) => t(`ledger.codes.${c}`, { defaultValue: String(c) }) },
            { title: t('ledger.ledger'), dataIndex: 'ledger', render: (l: number, r) => ledgerName(l, r.currency) },
            { title: t('ledger.debitsPosted'), dataIndex: 'debitsPosted', align: 'right', render: money },
            { title: t('ledger.creditsPosted'), dataIndex: 'creditsPosted', align: 'right', render: money },
            { title: t('ledger.debitsPending'), dataIndex: 'debitsPending', align: 'right', render: money },
            { title: t('ledger.net'), dataIndex: 'netCredit', align: 'right', render: money },
          ]}
        />
      </Card>
      <Drawer
        open={!!open}
        onClose={() => setOpen(undefined)}
        width={720}
        title={`${t('ledger.statement')} · ${open?.ownerName ?? ''} · ${open ? t(`ledger.codes.${open.code}`, { defaultValue: open.name }) : ''}`}
      >
        <Table
          rowKey="seq"
          size="small"
          loading={statement.loading}
          dataSource={statement.data?.lines}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t('audit.time'), dataIndex: 'businessDate' },
            { title: t('ledger.code'), dataIndex: 'code' },
            { title: t('credit.debit'), dataIndex: 'debit', align: 'right', render: money },
            { title: t('credit.credit'), dataIndex: 'credit', align: 'right', render: money },
            { title: t('credit.balance'), dataIndex: 'balance', align: 'right', render: money },
            { title: t('credit.refId'), dataIndex: 'refId' },
          ]}
        />
      </Drawer>
    </Space>
  );
}
