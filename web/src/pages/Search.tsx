/** 搜索结果: every kind's hits for the term (up to 50 each), opened from the header box's "see all" or its Enter. */
import { useEffect, useState } from 'react';
import { Alert, Card, Empty, Input, List, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { searchGroups, SEARCH_TERM_MAX, useKindLabel, type SearchGroup } from '../components/GlobalSearch';
import { useNotifyError } from '../lib/hooks';

const PAGE_LIMIT = 50;

export function SearchPage() {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const notifyError = useNotifyError();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [groups, setGroups] = useState<SearchGroup[] | null>(null);

  useEffect(() => {
    setGroups(null);
    if (!q.trim()) return setGroups([]);
    let live = true;
    searchGroups(q, PAGE_LIMIT)
      .then((found) => live && setGroups(found))
      .catch((e: unknown) => {
        notifyError(e);
        if (live) setGroups([]);
      });
    return () => {
      live = false;
    };
  }, [q, notifyError]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="search-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('gsearch.title')}
      </Typography.Title>
      <Input.Search
        defaultValue={q}
        key={q}
        allowClear
        maxLength={SEARCH_TERM_MAX}
        placeholder={t('gsearch.placeholder')}
        onSearch={(value) => setParams(value.trim() ? { q: value.trim() } : {})}
        style={{ maxWidth: 520 }}
        data-testid="search-page-input"
      />
      {groups === null ? (
        <Spin />
      ) : groups.length === 0 ? (
        <Empty description={q.trim() ? t('gsearch.empty') : t('gsearch.placeholder')} />
      ) : (
        groups.map((group) => (
          <Card
            key={group.kind}
            size="small"
            title={kindLabel(group.kind)}
            extra={<Typography.Text type="secondary">{t('gsearch.totalOf', { count: group.total })}</Typography.Text>}
            data-kind={group.kind}
          >
            {group.total > group.hits.length && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 8 }}
                message={t('gsearch.moreOf', { shown: group.hits.length, count: group.total })}
              />
            )}
            <List
              size="small"
              dataSource={group.hits}
              renderItem={(hit) => (
                <List.Item data-testid="search-page-hit">
                  <List.Item.Meta title={<Link to={hit.link}>{hit.label}</Link>} description={hit.secondary} />
                </List.Item>
              )}
            />
          </Card>
        ))
      )}
    </Space>
  );
}
