import { useMemo, useState } from 'react';
import { App, Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { PartyForm } from '../components/PartyForm';
import { ClassificationTag, MemberStatusTag, OrgTypeTag } from '../components/Tags';
import { query } from '../lib/api';
import { useMe } from '../lib/auth';
import { useRemote } from '../lib/hooks';
import { navigationFor } from '../lib/nav';
import { ORG_TYPES, type Page, type Party } from '../lib/types';

export function PartyListPage() {
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [keyword, setKeyword] = useState(params.get('q') ?? '');
  const page = Number(params.get('page') ?? '1');
  const pageSize = Number(params.get('pageSize') ?? '20');
  const path = `/api/v1/parties${query({
    q: params.get('q'),
    type: params.get('type'),
    classification: params.get('classification'),
    memberStatus: params.get('memberStatus'),
    page,
    pageSize,
  })}`;
  const list = useRemote<Page<Party>>(path);
  const title = useMemo(() => navigationFor(me).find((i) => i.key === 'parties')?.labelKey ?? 'nav.parties', [me]);
  const canCreate = me.permissions.includes('party:write') && me.creatablePartyTypes.length > 0;

  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next);
  };

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t(title)}
        </Typography.Title>
      }
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t('common.refresh')} />
          {canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="party-create">
              {t('common.create')}
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder={t('party.keyword')}
          value={keyword}
          onChange={(e) => setKeyword(e.target.value)}
          onSearch={(value) => setParam('q', value.trim() || undefined)}
          allowClear
          style={{ width: 260 }}
          data-testid="party-search"
        />
        <Select
          allowClear
          placeholder={t('party.type')}
          style={{ width: 150 }}
          value={params.get('type') ?? undefined}
          onChange={(v?: string) => setParam('type', v)}
          options={ORG_TYPES.map((type) => ({ value: type, label: t(`orgType.${type}`) }))}
        />
        <Select
          allowClear
          placeholder={t('party.classification')}
          style={{ width: 140 }}
          value={params.get('classification') ?? undefined}
          onChange={(v?: string) => setParam('classification', v)}
          options={['quality', 'normal', 'potential', 'blacklist'].map((c) => ({ value: c, label: t(`classification.${c}`) }))}
        />
        <Select
          allowClear
          placeholder={t('party.memberStatus')}
          style={{ width: 140 }}
          value={params.get('memberStatus') ?? undefined}
          onChange={(v?: string) => setParam('memberStatus', v)}
          options={['member', 'prospect', 'suspended'].map((c) => ({ value: c, label: t(`memberStatus.${c}`) }))}
        />
      </Space>
      <Table<Party>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items}
        scroll={{ x: 900 }}
        data-testid="party-table"
        onRow={(record) => ({ onClick: () => navigate(`/parties/${record.id}`), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (count) => t('common.total', { count }),
          onChange: (p, size) => {
            const next = new URLSearchParams(params);
            next.set('page', String(p));
            next.set('pageSize', String(size));
            setParams(next);
          },
        }}
        columns={[
          {
            title: t('party.name'),
            dataIndex: 'name',
            fixed: 'left',
            width: 260,
            render: (name: string, r) => (
              <Space direction="vertical" size={0}>
                <Typography.Link>{name}</Typography.Link>
                {r.shortName && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.shortName}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: t('party.type'), dataIndex: 'type', width: 170, render: (type) => <OrgTypeTag type={type} /> },
          {
            title: t('party.creditCode'),
            dataIndex: 'creditCode',
            width: 190,
            render: (code: string | null) => <Typography.Text code>{code ?? '—'}</Typography.Text>,
          },
          { title: t('party.region'), dataIndex: 'region', width: 110 },
          { title: t('party.industry'), dataIndex: 'industry', width: 140 },
          { title: t('party.memberStatus'), dataIndex: 'memberStatus', width: 110, render: (s: string) => <MemberStatusTag value={s} /> },
          {
            title: t('party.classification'),
            dataIndex: 'classification',
            width: 110,
            render: (c: string | null) => <ClassificationTag value={c} />,
          },
        ]}
      />
      <PartyForm
        open={creating}
        types={me.creatablePartyTypes}
        onClose={() => setCreating(false)}
        onSaved={(party) => {
          setCreating(false);
          void message.success(t('party.created', { name: party.name }));
          list.reload();
        }}
      />
    </Card>
  );
}
