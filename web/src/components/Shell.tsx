import { useEffect, useState } from 'react';
import { Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Tag, Typography } from 'antd';
import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth, useMe } from '../lib/auth';
import { flatNavigation, navigationFor, ORG_TYPE_COLOR } from '../lib/nav';
import { get } from '../lib/api';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationBell } from './NotificationBell';
import { GlobalSearch } from './GlobalSearch';

const { Header, Sider, Content } = Layout;

export function Shell() {
  const me = useMe();
  const { logout } = useAuth();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [businessDate, setBusinessDate] = useState<string>();
  const items = navigationFor(me);
  const entries = flatNavigation(items);
  // The most specific entry wins (/certificates/market is the market, not the certificate list).
  const selected = entries
    .filter((i) =>
      i.path === '/' ? location.pathname === '/' : location.pathname === i.path || location.pathname.startsWith(`${i.path}/`),
    )
    .sort((a, b) => b.path.length - a.path.length)
    .slice(0, 1)
    .map((i) => i.key);

  useEffect(() => {
    const load = () =>
      get<{ businessDate: string }>('/api/v1/business-date')
        .then((r) => setBusinessDate(r.businessDate))
        .catch(() => undefined);
    void load();
    // End-of-day moves the date: the EOD page announces it.
    window.addEventListener('openscf:business-date', load);
    return () => window.removeEventListener('openscf:business-date', load);
  }, [location.pathname]);

  const groupOpen = items.filter((i) => i.children?.some((c) => selected.includes(c.key))).map((i) => i.key);
  const menu = (
    <Menu
      mode="inline"
      theme="dark"
      selectedKeys={selected}
      defaultOpenKeys={groupOpen}
      data-testid="main-nav"
      items={items.map((item) =>
        item.children
          ? {
              key: item.key,
              icon: item.icon,
              label: t(item.labelKey),
              'data-nav': item.key,
              children: item.children.map((c) => ({ key: c.key, icon: c.icon, label: t(c.labelKey), 'data-nav': c.key })),
            }
          : { key: item.key, icon: item.icon, label: t(item.labelKey), 'data-nav': item.key },
      )}
      onClick={({ key }) => {
        const target = entries.find((i) => i.key === key);
        if (target) navigate(target.path);
        setDrawerOpen(false);
      }}
    />
  );
  const brand = (
    <div style={{ color: '#fff', fontWeight: 600, fontSize: 16, padding: '16px 20px', whiteSpace: 'nowrap' }}>
      OpenSCF{' '}
      <Typography.Text style={{ color: 'rgba(255,255,255,0.65)', fontSize: 12 }}>{t(`portal.${me.organization.type}`)}</Typography.Text>
    </div>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Sider width={220} breakpoint="lg">
          {brand}
          {menu}
        </Sider>
      )}
      {mobile && (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          width={240}
          styles={{ body: { padding: 0, background: '#001529' } }}
          closable={false}
        >
          {brand}
          {menu}
        </Drawer>
      )}
      <Layout>
        <Header
          style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}
        >
          <Space>
            {mobile && (
              <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label="menu" data-testid="menu-button" />
            )}
            <Tag color={ORG_TYPE_COLOR[me.organization.type]}>{t(`orgType.${me.organization.type}`)}</Tag>
            {!mobile && (
              <Typography.Text strong data-testid="org-name">
                {me.organization.name}
              </Typography.Text>
            )}
          </Space>
          <Space size={mobile ? 0 : 'middle'}>
            {businessDate && !mobile && (
              <Typography.Text type="secondary" data-testid="business-date">
                {t('common.businessDate')}: {businessDate}
              </Typography.Text>
            )}
            <GlobalSearch />
            <NotificationBell />
            <LanguageSwitch />
            <Dropdown
              menu={{
                items: [
                  {
                    key: 'logout',
                    icon: <LogoutOutlined />,
                    label: t('common.logout'),
                    onClick: () => void logout().then(() => navigate('/login')),
                  },
                ],
              }}
            >
              <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} />
                {!mobile && me.user.username}
              </Space>
            </Dropdown>
          </Space>
        </Header>
        <Content style={{ margin: mobile ? 8 : 16 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
