/**
 * 全局搜索 in the header: one box over every kind the server searches (GET /api/v1/search — customers, applications,
 * contracts, loans, certificates, receivables, credit lines, each within what the caller may see). Typing searches
 * after a pause; the dropdown groups the hits by kind; ↑↓ choose, Enter opens the chosen record (or the full results
 * page when none is chosen), Esc closes. At phone width the box is an icon that opens it in a panel over the page.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, Drawer, Empty, Grid, Input, Popover, Spin, Typography, type InputRef } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { get, query } from '../lib/api';
import type { ItemOf, ResponseOf } from '../lib/types';

export type SearchGroup = ItemOf<ResponseOf<'/api/v1/search'>['groups']>;
export type SearchHit = ItemOf<SearchGroup['hits']>;

/** The longest term the server searches (kernel/search-sql.ts SEARCH_TERM_MAX). */
export const SEARCH_TERM_MAX = 64;
const DEBOUNCE_MS = 250;

/** The groups of `q` (trimmed), or none for an empty or too long term. */
export async function searchGroups(q: string, limit: number): Promise<SearchGroup[]> {
  const term = q.trim();
  if (!term || [...term].length > SEARCH_TERM_MAX) return [];
  return (await get<{ groups: SearchGroup[] }>(`/api/v1/search${query({ q: term, limit })}`)).groups;
}

/** A kind's heading: its translation, or the kind itself for one this web app does not know yet. */
export function useKindLabel(): (kind: string) => string {
  const { t } = useTranslation();
  return (kind) => t(`gsearch.kind.${kind}`, { defaultValue: kind });
}

export function GlobalSearch() {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const navigate = useNavigate();
  const location = useLocation();
  const mobile = !Grid.useBreakpoint().md;
  const [text, setText] = useState('');
  const [groups, setGroups] = useState<SearchGroup[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const input = useRef<InputRef>(null);
  const latest = useRef(0);

  useEffect(() => {
    const term = text.trim();
    if (!term) {
      setGroups(null);
      return;
    }
    const ticket = ++latest.current;
    setLoading(true);
    const timer = window.setTimeout(() => {
      searchGroups(term, 5)
        .then((found) => {
          if (ticket !== latest.current) return; // an answer to an older term
          setGroups(found);
          setActive(-1);
          // the answer shows while the box has the focus, whatever closed the dropdown meanwhile (a page that
          // finished loading after the user started typing)
          if (document.activeElement === input.current?.input) setOpen(true);
        })
        .catch(() => ticket === latest.current && setGroups([]))
        .finally(() => ticket === latest.current && setLoading(false));
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  // a page change closes the dropdown (the record opened)
  useEffect(() => setOpen(false), [location.pathname, location.search]);

  const hits = useMemo(() => (groups ?? []).flatMap((g) => g.hits), [groups]);
  const allPage = () => `/search${query({ q: text.trim() })}`;
  const go = (link: string) => {
    setOpen(false);
    input.current?.blur();
    navigate(link);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, -1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const hit = hits[active];
      if (hit) go(hit.link);
      else if (text.trim()) go(allPage());
    } else if (e.key === 'Escape') {
      setOpen(false);
      input.current?.blur();
    }
  };

  const tooLong = [...text.trim()].length > SEARCH_TERM_MAX;
  let index = -1;
  const results = (
    <div
      style={{ width: mobile ? '100%' : 420, maxHeight: mobile ? undefined : 480, overflowY: 'auto' }}
      data-testid="global-search-results"
    >
      {tooLong ? (
        <Typography.Text type="danger">{t('gsearch.tooLong')}</Typography.Text>
      ) : loading && !groups ? (
        <Spin size="small" />
      ) : groups && groups.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('gsearch.empty')} />
      ) : (
        (groups ?? []).map((group) => (
          <div key={group.kind} data-kind={group.kind} style={{ marginBottom: 8 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {kindLabel(group.kind)} · {t('gsearch.totalOf', { count: group.total })}
            </Typography.Text>
            {group.hits.map((hit) => {
              index++;
              const selected = index === active;
              const at = index;
              return (
                <div
                  key={`${group.kind}:${hit.id}`}
                  role="option"
                  tabIndex={-1}
                  aria-selected={selected}
                  data-testid="global-search-hit"
                  onMouseEnter={() => setActive(at)}
                  onMouseDown={(e) => e.preventDefault()} // keep the input's focus until the click opens the record
                  onClick={() => go(hit.link)}
                  onKeyDown={(e) => e.key === 'Enter' && go(hit.link)}
                  style={{
                    padding: '4px 8px',
                    borderRadius: 4,
                    cursor: 'pointer',
                    background: selected ? '#e6f4ff' : undefined,
                  }}
                >
                  <div style={{ fontWeight: 500 }}>{hit.label}</div>
                  {hit.secondary && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                      {hit.secondary}
                    </Typography.Text>
                  )}
                </div>
              );
            })}
          </div>
        ))
      )}
      {groups && groups.length > 0 && (
        <div
          style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', borderTop: '1px solid #f0f0f0', paddingTop: 6 }}
        >
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => go(allPage())}
            data-testid="global-search-all"
          >
            {t('gsearch.all')}
          </Button>
          {!mobile && (
            <Typography.Text type="secondary" style={{ fontSize: 11 }}>
              {t('gsearch.hint')}
            </Typography.Text>
          )}
        </div>
      )}
    </div>
  );

  const box = (
    <Input
      ref={input}
      allowClear
      prefix={<SearchOutlined />}
      placeholder={t('gsearch.placeholder')}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        setOpen(true);
      }}
      onFocus={() => setOpen(true)}
      onBlur={() => !mobile && setOpen(false)}
      onKeyDown={onKeyDown}
      role="combobox"
      aria-expanded={open}
      aria-label={t('gsearch.open')}
      data-testid="global-search"
      style={{ width: mobile ? '100%' : 260 }}
    />
  );

  if (mobile)
    return (
      <>
        <Button
          type="text"
          icon={<SearchOutlined />}
          aria-label={t('gsearch.open')}
          data-testid="global-search-button"
          onClick={() => setOpen(true)}
        />
        <Drawer
          open={open}
          placement="top"
          height="auto"
          onClose={() => setOpen(false)}
          afterOpenChange={(visible) => visible && input.current?.focus()}
          closable={false}
          styles={{ body: { padding: 12 } }}
        >
          {box}
          {text.trim() && <div style={{ marginTop: 8 }}>{results}</div>}
        </Drawer>
      </>
    );
  return (
    <Popover open={open && text.trim().length > 0} content={results} placement="bottomLeft" arrow={false} trigger={[]}>
      {box}
    </Popover>
  );
}
