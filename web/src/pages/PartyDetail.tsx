import { useState } from 'react';
import { App, Button, Card, Descriptions, Result, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined, EditOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { PartyForm } from '../components/PartyForm';
import { ClassificationTag, MemberStatusTag, OrgTypeTag } from '../components/Tags';
import { Attachments } from '../components/party/Attachments';
import { ClassificationPanel } from '../components/party/Classification';
import { FollowUps } from '../components/party/FollowUps';
import { Contacts, People } from '../components/party/ProfileLists';
import { Relationships } from '../components/party/Relationships';
import { Statements } from '../components/party/Statements';
import { CustomFields, PartyScores, PersonFile } from '../components/party/CreditFile';
import { post } from '../lib/api';
import { useMe } from '../lib/auth';
import { groupDigits } from '../lib/format';
import { useNotifyError, useRemote } from '../lib/hooks';
import type { PartyDetail } from '../lib/types';

export function PartyDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const notify = useNotifyError();
  const [editing, setEditing] = useState(false);
  const party = useRemote<PartyDetail>(`/api/v1/parties/${id}`);
  const p = party.data;

  if (party.error?.status === 404)
    return (
      <Result
        status="404"
        title="404"
        subTitle={party.error.message}
        extra={<Button onClick={() => navigate('/parties')}>{t('common.back')}</Button>}
      />
    );
  if (!p) return <Spin style={{ display: 'block', marginTop: 80 }} />;

  const confidential = p.access === 'confidential' || p.access === 'manage';
  const operator = me.organization.type === 'operator';
  const setStatus = (action: 'admit' | 'suspend') =>
    post(`/api/v1/parties/${p.id}/${action}`)
      .then(() => {
        void message.success(t('common.saved'));
        party.reload();
      })
      .catch(notify);

  const items = [
    {
      key: 'profile',
      label: t('party.tabs.profile'),
      children: (
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="party-profile">
          <Descriptions.Item label={t('party.creditCode')}>{p.creditCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('party.legalRepresentative')}>{p.legalRepresentative ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('party.registeredCapital')}>{groupDigits(p.registeredCapital)}</Descriptions.Item>
          <Descriptions.Item label={t('party.foundedOn')}>{p.foundedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('party.region')}>{p.region ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('party.industry')}>{p.industry ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('party.address')} span={2}>
            {p.address ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('party.phone')}>{p.phone ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('party.email')}>{p.email ?? '—'}</Descriptions.Item>
        </Descriptions>
      ),
    },
    { key: 'relationships', label: t('party.tabs.relationships'), children: <Relationships partyId={p.id} /> },
    { key: 'contacts', label: t('party.tabs.contacts'), children: <Contacts partyId={p.id} canEdit={p.canEdit} /> },
    ...(confidential
      ? [
          { key: 'people', label: t('party.tabs.people'), children: <People partyId={p.id} canEdit={p.canEdit} /> },
          {
            key: 'statements',
            label: t('party.tabs.statements'),
            children: <Statements partyId={p.id} canEdit={me.permissions.includes('party:write')} />,
          },
        ]
      : []),
    {
      key: 'attachments',
      label: t('party.tabs.attachments'),
      children: <Attachments partyId={p.id} canUpload={me.permissions.includes('party:write')} />,
    },
    ...(confidential && p.type === 'individual'
      ? [{ key: 'person', label: t('scoring.person.tab'), children: <PersonFile partyId={p.id} /> }]
      : []),
    ...(p.id !== me.organization.id
      ? [
          {
            key: 'customFields',
            label: t('scoring.fields.tab'),
            children: <CustomFields partyId={p.id} canEdit={me.permissions.includes('party:write')} />,
          },
          ...(confidential && ['bank', 'factor', 'guarantor'].includes(me.organization.type)
            ? [
                {
                  key: 'scores',
                  label: t('scoring.scores.tab'),
                  children: <PartyScores partyId={p.id} canScore={me.permissions.includes('party:classify')} />,
                },
              ]
            : []),
          {
            key: 'classification',
            label: t('party.tabs.classification'),
            children: <ClassificationPanel partyId={p.id} onChanged={party.reload} />,
          },
          {
            key: 'followUps',
            label: t('party.tabs.followUps'),
            children: <FollowUps partyId={p.id} canAdd={me.permissions.includes('party:write')} />,
          },
        ]
      : []),
  ];

  return (
    <Card>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
          <Space wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="party-title">
              {p.name}
            </Typography.Title>
            <OrgTypeTag type={p.type} />
            <MemberStatusTag value={p.memberStatus} />
            <ClassificationTag value={p.classification} />
            {!confidential && <Tag>{t('access.basic')}</Tag>}
          </Space>
          <Space wrap>
            {operator && p.memberStatus !== 'member' && (
              <Button icon={<CheckCircleOutlined />} onClick={() => void setStatus('admit')}>
                {t('party.admit')}
              </Button>
            )}
            {operator && p.memberStatus === 'member' && p.type !== 'operator' && (
              <Button danger icon={<PauseCircleOutlined />} onClick={() => void setStatus('suspend')}>
                {t('party.suspend')}
              </Button>
            )}
            {p.canEdit && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="party-edit">
                {t('common.edit')}
              </Button>
            )}
          </Space>
        </Space>
        <Tabs items={items} destroyOnHidden />
      </Space>
      <PartyForm
        open={editing}
        party={p}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          void message.success(t('common.saved'));
          party.reload();
        }}
      />
    </Card>
  );
}
