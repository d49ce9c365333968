/**
 * Navigation per portal: which menu entries an organisation type sees, and what they are called there (the
 * same parties list is "members" to the operator, "supply-chain members" to a core enterprise and
 * "customers" to a bank).
 */
import type { ReactNode } from 'react';
import { AccountBookOutlined, ApartmentOutlined, AuditOutlined, CheckSquareOutlined, ClusterOutlined, CreditCardOutlined, DashboardOutlined, SettingOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import type { Me, OrgType } from './types';

export interface NavItem {
  key: string;
  path: string;
  labelKey: string;
  icon: ReactNode;
}

const PARTIES_LABEL: Record<OrgType, string> = {
  operator: 'nav.members',
  core: 'nav.network',
  supplier: 'nav.counterparties',
  dealer: 'nav.counterparties',
  bank: 'nav.customers',
  factor: 'nav.customers',
  guarantor: 'nav.customers',
  insurer: 'nav.customers',
  warehouse: 'nav.customers',
  logistics: 'nav.counterparties',
  buyback: 'nav.counterparties',
};

export function navigationFor(me: Me): NavItem[] {
  const type = me.organization.type;
  const items: NavItem[] = [
    { key: 'dashboard', path: '/', labelKey: 'nav.dashboard', icon: <DashboardOutlined /> },
    { key: 'parties', path: '/parties', labelKey: PARTIES_LABEL[type], icon: <TeamOutlined /> },
    { key: 'graph', path: '/graph', labelKey: 'nav.graph', icon: <ApartmentOutlined /> },
  ];
  const credit = ['operator', 'core', 'supplier', 'dealer', 'bank', 'factor', 'guarantor'].includes(type);
  if (credit && me.permissions.includes('credit:read')) items.push({ key: 'credit', path: '/credit', labelKey: 'nav.credit', icon: <CreditCardOutlined /> });
  if (['operator', 'core', 'bank', 'factor'].includes(type) && me.permissions.includes('credit:read')) {
    items.push({ key: 'creditChanges', path: '/credit-changes', labelKey: 'nav.creditChanges', icon: <CheckSquareOutlined /> });
    items.push({ key: 'creditNetwork', path: '/credit-network', labelKey: 'nav.creditNetwork', icon: <ClusterOutlined /> });
  }
  if (me.permissions.includes('ledger:read')) items.push({ key: 'ledger', path: '/ledger', labelKey: 'nav.ledger', icon: <AccountBookOutlined /> });
  if (me.permissions.includes('user:manage')) items.push({ key: 'users', path: '/users', labelKey: 'nav.users', icon: <UserOutlined /> });
  if (me.permissions.includes('audit:read')) items.push({ key: 'audit', path: '/audit', labelKey: 'nav.audit', icon: <AuditOutlined /> });
  if (me.permissions.includes('token:manage') || me.permissions.includes('calendar:advance')) {
    items.push({ key: 'system', path: '/system', labelKey: 'nav.system', icon: <SettingOutlined /> });
  }
  return items;
}

export const ORG_TYPE_COLOR: Record<OrgType, string> = {
  operator: '#722ed1',
  core: '#f5222d',
  supplier: '#1677ff',
  dealer: '#13c2c2',
  bank: '#fa8c16',
  factor: '#faad14',
  warehouse: '#52c41a',
  logistics: '#a0d911',
  insurer: '#eb2f96',
  guarantor: '#2f54eb',
  buyback: '#8c8c8c',
};
