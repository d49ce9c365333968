/**
 * The header bell: open notices and reminders (unread count), each opening its record (its link) and marked read on
 * click. The server renders them in the UI's language (Accept-Language) and drops those whose thing is done, so the
 * list is fetched again when the language changes and on every page change.
 */
import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Drawer, Empty, Grid, List, Popover, Space, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { get, post } from '../lib/api';
import { dateTime } from '../lib/format';
import type { Notice } from '../lib/types';

export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [items, setItems] = useState<Notice[]>([]);
  const [open, setOpen] = useState(false);
  const mobile = !Grid.useBreakpoint().md;

  const load = useCallback(() => {
    get<Notice[]>('/api/v1/notifications')
      .then(setItems)
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    load();
    const timer = window.setInterval(load, 60_000);
    return () => window.clearInterval(timer);
  }, [load, location.pathname, i18n.language]);

  const unread = items.filter((n) => !n.readAt);
  const markRead = async (notice: Notice) => {
    if (!notice.readAt) await post(`/api/v1/notifications/${notice.id}/read`).catch(() => undefined);
  };
  const openNotice = async (notice: Notice) => {
    await markRead(notice);
    load();
    if (notice.link) {
      setOpen(false);
      navigate(notice.link);
    }
  };
  const readAll = async () => {
    await Promise.all(unread.map(markRead));
    load();
  };

  const content = (
    <div style={{ width: mobile ? '100%' : 360 }} data-testid="notifications">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fin.notice.empty')} />
      ) : (
        <List<Notice>
          size="small"
          dataSource={items.slice(0, 30)}
          style={{ maxHeight: 420, overflowY: 'auto' }}
          renderItem={(n) => (
            <List.Item
              onClick={() => void openNotice(n)}
              style={{ cursor: 'pointer', opacity: n.readAt ? 0.55 : 1 }}
              data-testid="notification-item"
            >
              <List.Item.Meta
                avatar={<Badge status={n.readAt ? 'default' : 'processing'} />}
                title={<Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>}
                description={
                  <Space orientation="vertical" size={0}>
                    {n.body && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {n.body}
                      </Typography.Text>
                    )}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {dateTime(n.createdAt)}
                    </Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  const title = (
    <Space style={{ width: '100%', justifyContent: 'space-between' }}>
      {t('fin.notice.title')}
      {unread.length > 0 && (
        <Button size="small" type="link" onClick={() => void readAll()} data-testid="notifications-read-all">
          {t('fin.notice.readAll')}
        </Button>
      )}
    </Space>
  );
  const bell = (
    <Badge count={unread.length} size="small" offset={[-4, 4]}>
      <Button
        type="text"
        icon={<BellOutlined />}
        aria-label={t('fin.notice.title')}
        data-testid="notification-bell"
        onClick={mobile ? () => setOpen(true) : undefined}
      />
    </Badge>
  );
  if (mobile) {
    return (
      <>
        {bell}
        <Drawer open={open} onClose={() => setOpen(false)} placement="right" size="100%" title={title} styles={{ body: { padding: 8 } }}>
          {content}
        </Drawer>
      </>
    );
  }
  return (
    <Popover trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} title={title} content={content}>
      {bell}
    </Popover>
  );
}
