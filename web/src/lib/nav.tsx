/**
 * Navigation per portal: which menu entries an organisation type sees, and what they are called there (the
 * same parties list is "members" to the operator, "supply-chain members" to a core enterprise and
 * "customers" to a bank).
 */
import type { ReactNode } from 'react';
import {
  FormOutlined,
  ProfileOutlined,
  SolutionOutlined,
  AccountBookOutlined,
  AlertOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  BranchesOutlined,
  CheckSquareOutlined,
  ClusterOutlined,
  CreditCardOutlined,
  DashboardOutlined,
  ExportOutlined,
  FileDoneOutlined,
  FileProtectOutlined,
  FileTextOutlined,
  GoldOutlined,
  PieChartOutlined,
  ReconciliationOutlined,
  RollbackOutlined,
  SafetyOutlined,
  ShopOutlined,
  FieldTimeOutlined,
  InboxOutlined,
  InsuranceOutlined,
  MoneyCollectOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
  WarningOutlined,
  SafetyCertificateOutlined,
  BookOutlined,
} from '@ant-design/icons';
import type { Me, OrgType } from './types';

export interface NavItem {
  key: string;
  path: string;
  labelKey: string;
  icon: ReactNode;
  /** A menu group (保兑仓): its entries; the group's own path is its first entry's. */
  children?: NavItem[];
}

/** Every entry that leads somewhere: the top-level ones and the groups' entries. */
export function flatNavigation(items: NavItem[]): NavItem[] {
  return items.flatMap((item) => (item.children ? item.children : [item]));
}

/**
 * 保兑仓 (issue 15): the core manufacturer's networks, its dealers' bills and its buybacks; the dealer's networks and
 * bills; the bank's networks submitted to it, the bills it accepts and the buybacks it is owed; the warehouse the
 * networks naming it (the agreements it signs — its goods in transit and delivery orders stay in inventory).
 */
function confirmingGroup(me: Me): NavItem | null {
  const type = me.organization.type;
  if (!me.permissions.includes('loan:read')) return null;
  const entries: NavItem[] = [];
  if (['operator', 'core', 'dealer', 'bank', 'warehouse'].includes(type))
    entries.push({ key: 'csNetworks', path: '/confirming/networks', labelKey: 'cs.nav.networks', icon: <ClusterOutlined /> });
  if (['operator', 'core', 'dealer', 'bank'].includes(type))
    entries.push({ key: 'csBills', path: '/confirming/bills', labelKey: 'cs.nav.bills', icon: <FileDoneOutlined /> });
  if (['operator', 'core', 'bank'].includes(type))
    entries.push({ key: 'csBuybacks', path: '/confirming/buybacks', labelKey: 'cs.nav.buybacks', icon: <RollbackOutlined /> });
  if (entries.length === 0) return null;
  return {
    key: 'confirming',
    path: entries[0]?.path ?? '/confirming/networks',
    labelKey: 'cs.nav.group',
    icon: <BankOutlined />,
    children: entries,
  };
}

/**
 * 回购机构 (issue 16, seed 000's module names): the institution's agreements, 回购资产管理, 回购价值管理, 回购交易管理 and
 * 售前监管; the funder's agreements, covered assets (to demand a buyback) and trades; the borrower's trades; the operator
 * all of it.
 */
function buybackGroup(me: Me): NavItem | null {
  const type = me.organization.type;
  if (!me.permissions.includes('loan:read')) return null;
  const all = type === 'buyback' || type === 'operator';
  const entries: NavItem[] = [];
  if (all || type === 'bank')
    entries.push(
      { key: 'bbAgreements', path: '/buyback/agreements', labelKey: 'bb.nav.agreements', icon: <FileProtectOutlined /> },
      { key: 'bbAssets', path: '/buyback/assets', labelKey: 'bb.nav.assets', icon: <GoldOutlined /> },
    );
  if (all) entries.push({ key: 'bbValues', path: '/buyback/values', labelKey: 'bb.nav.values', icon: <PieChartOutlined /> });
  if (all || ['bank', 'supplier', 'dealer'].includes(type))
    entries.push({ key: 'bbTrades', path: '/buyback/trades', labelKey: 'bb.nav.trades', icon: <RollbackOutlined /> });
  if (all || type === 'bank')
    entries.push({ key: 'bbSupervision', path: '/buyback/supervision', labelKey: 'bb.nav.supervision', icon: <SafetyOutlined /> });
  if (entries.length === 0) return null;
  return { key: 'buyback', path: entries[0]!.path, labelKey: 'bb.nav.group', icon: <RollbackOutlined />, children: entries };
}

/**
 * 保险机构 (issue 16), with the seed's module names: the insurer's 投保 (applications to underwrite), 保险管理 (its
 * policies), 保险监管 (the insured goods), 保费管理 and 理赔; the borrower's and the funder's 投保 (apply), their policies,
 * premiums and claims, and the funder's 保险监管 (its under-insured pledges).
 */
/** 资信管理 (issue 17): the assessor's scoring templates, its scores, and the admin's customer fields. */
function scoringGroup(me: Me): NavItem | null {
  if (!['bank', 'factor', 'guarantor'].includes(me.organization.type) || !me.permissions.includes('party:read')) return null;
  const entries: NavItem[] = [
    { key: 'scoringTemplates', path: '/scoring/templates', labelKey: 'scoring.nav.templates', icon: <FormOutlined /> },
    { key: 'scoringScores', path: '/scoring/scores', labelKey: 'scoring.nav.scores', icon: <BarChartOutlined /> },
  ];
  if (me.permissions.includes('party:fields'))
    entries.push({ key: 'scoringFields', path: '/scoring/fields', labelKey: 'scoring.nav.fields', icon: <ProfileOutlined /> });
  return { key: 'scoring', path: entries[0]!.path, labelKey: 'scoring.nav.group', icon: <SolutionOutlined />, children: entries };
}

function insuranceGroup(me: Me): NavItem | null {
  const type = me.organization.type;
  if (!me.permissions.includes('loan:read')) return null;
  if (!['insurer', 'supplier', 'dealer', 'core', 'bank', 'factor', 'operator'].includes(type)) return null;
  const entries: NavItem[] = [];
  if (type !== 'operator')
    entries.push({ key: 'insApply', path: '/insurance/apply', labelKey: 'ins.nav.apply', icon: <FileProtectOutlined /> });
  entries.push({ key: 'insPolicies', path: '/insurance/policies', labelKey: 'ins.nav.policies', icon: <FileTextOutlined /> });
  if (['insurer', 'bank', 'factor'].includes(type))
    entries.push({ key: 'insSupervision', path: '/insurance/supervision', labelKey: 'ins.nav.supervision', icon: <SafetyOutlined /> });
  entries.push({ key: 'insPremiums', path: '/insurance/premiums', labelKey: 'ins.nav.premiums', icon: <MoneyCollectOutlined /> });
  entries.push({ key: 'insClaims', path: '/insurance/claims', labelKey: 'ins.nav.claims', icon: <AlertOutlined /> });
  return { key: 'insurance', path: entries[0]!.path, labelKey: 'ins.nav.group', icon: <InsuranceOutlined />, children: entries };
}

/**
 * 融资担保 (issue 17): the guarantor's 项目管理 and 台账; an enterprise's 担保申请; a lender's guarantees on its loans.
 */
function guaranteeGroup(me: Me): NavItem | null {
  const type = me.organization.type;
  if (!me.permissions.includes('loan:read')) return null;
  if (type === 'guarantor')
    return {
      key: 'guarantee',
      path: '/guarantee/projects',
      labelKey: 'gu.nav.group',
      icon: <SafetyCertificateOutlined />,
      children: [
        { key: 'guProjects', path: '/guarantee/projects', labelKey: 'gu.nav.projects', icon: <SafetyCertificateOutlined /> },
        { key: 'guLedger', path: '/guarantee/ledger', labelKey: 'gu.nav.ledger', icon: <BookOutlined /> },
      ],
    };
  if (['core', 'supplier', 'dealer'].includes(type))
    return { key: 'guarantee', path: '/guarantee/projects', labelKey: 'gu.nav.apply', icon: <SafetyCertificateOutlined /> };
  if (['bank', 'factor'].includes(type))
    return { key: 'guarantee', path: '/guarantee/projects', labelKey: 'gu.nav.lender', icon: <SafetyCertificateOutlined /> };
  return null;
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
  individual: 'nav.counterparties',
};

export function navigationFor(me: Me): NavItem[] {
  const type = me.organization.type;
  const items: NavItem[] = [
    { key: 'dashboard', path: '/', labelKey: 'nav.dashboard', icon: <DashboardOutlined /> },
    { key: 'inbox', path: '/inbox', labelKey: 'nav.inbox', icon: <InboxOutlined /> },
    { key: 'parties', path: '/parties', labelKey: PARTIES_LABEL[type], icon: <TeamOutlined /> },
    { key: 'graph', path: '/graph', labelKey: 'nav.graph', icon: <ApartmentOutlined /> },
  ];
  const credit = ['operator', 'core', 'supplier', 'dealer', 'bank', 'factor', 'guarantor'].includes(type);
  if (credit && me.permissions.includes('credit:read'))
    items.push({ key: 'credit', path: '/credit', labelKey: 'nav.credit', icon: <CreditCardOutlined /> });
  if (['operator', 'core', 'bank', 'factor'].includes(type) && me.permissions.includes('credit:read')) {
    items.push({ key: 'creditChanges', path: '/credit-changes', labelKey: 'nav.creditChanges', icon: <CheckSquareOutlined /> });
    items.push({ key: 'creditNetwork', path: '/credit-network', labelKey: 'nav.creditNetwork', icon: <ClusterOutlined /> });
  }
  const financing = ['operator', 'core', 'supplier', 'dealer', 'bank', 'factor', 'guarantor'].includes(type);
  const funder = ['bank', 'factor', 'guarantor'].includes(type);
  if (financing && me.permissions.includes('loan:read')) {
    const factory = me.permissions.includes('product:manage');
    items.push({
      key: 'products',
      path: '/products',
      labelKey: factory ? 'nav.products' : 'nav.productCatalog',
      icon: <AppstoreOutlined />,
    });
  }
  if (me.permissions.includes('workflow:manage'))
    items.push({ key: 'flows', path: '/flows', labelKey: 'nav.flows', icon: <BranchesOutlined /> });
  if (financing && me.permissions.includes('loan:read')) {
    items.push({ key: 'applications', path: '/applications', labelKey: 'nav.applications', icon: <FileDoneOutlined /> });
    items.push({ key: 'loans', path: '/loans', labelKey: 'nav.loans', icon: <MoneyCollectOutlined /> });
  }
  if ((funder || type === 'operator') && me.permissions.includes('loan:read'))
    items.push({ key: 'collections', path: '/collections', labelKey: 'nav.collections', icon: <AlertOutlined /> });
  if (financing && me.permissions.includes('loan:read'))
    items.push({ key: 'reports', path: '/reports', labelKey: 'nav.reports', icon: <BarChartOutlined /> });
  // 数字债权凭证 and 应收账款 (seed S4): the chain's parties, the funders behind them, the operator supervising.
  const certParty = ['operator', 'core', 'supplier', 'bank', 'factor'].includes(type);
  if (certParty && me.permissions.includes('loan:read')) {
    items.push({ key: 'certificates', path: '/certificates', labelKey: 'nav.certificates', icon: <FileProtectOutlined /> });
    if (['bank', 'factor', 'operator'].includes(type))
      items.push({ key: 'certMarket', path: '/certificates/market', labelKey: 'nav.certMarket', icon: <ShopOutlined /> });
    if (['bank', 'factor', 'supplier'].includes(type))
      items.push({ key: 'certPortfolio', path: '/certificates/portfolio', labelKey: 'nav.certPortfolio', icon: <PieChartOutlined /> });
    if (['operator', 'core'].includes(type))
      items.push({
        key: 'certReconciliation',
        path: '/certificates/reconciliation',
        labelKey: 'nav.certReconciliation',
        icon: <ReconciliationOutlined />,
      });
  }
  if (['operator', 'core', 'supplier', 'dealer', 'bank', 'factor'].includes(type) && me.permissions.includes('loan:read')) {
    items.push({ key: 'receivables', path: '/receivables', labelKey: 'nav.receivables', icon: <FileTextOutlined /> });
  }
  // 仓储与仓单 (issue 14): the warehouse, the goods' owners, the funders they pledge to, the operator; insurers, buyback
  // institutions and guarantors read the goods catalogue and its prices there
  const inventory = ['operator', 'warehouse', 'core', 'supplier', 'dealer', 'bank', 'factor', 'insurer', 'buyback', 'guarantor'];
  if (inventory.includes(type) && me.permissions.includes('loan:read'))
    items.push({ key: 'inventory', path: '/inventory', labelKey: 'nav.inventory', icon: <GoldOutlined /> });
  // 押品监控 for the funders holding pledges and the operator; the borrower's own pledges and its margin calls (跌价补偿)
  if (me.permissions.includes('loan:read')) {
    if (['bank', 'factor', 'operator'].includes(type))
      items.push({ key: 'collateral', path: '/inventory/pledges', labelKey: 'nav.collateralMonitor', icon: <SafetyOutlined /> });
    if (type === 'supplier' || type === 'dealer') {
      items.push({ key: 'myPledges', path: '/inventory/pledges', labelKey: 'nav.myPledges', icon: <SafetyOutlined /> });
      items.push({ key: 'marginCalls', path: '/inventory/margin-calls', labelKey: 'nav.marginCalls', icon: <WarningOutlined /> });
    }
  }
  const confirming = confirmingGroup(me);
  if (confirming) items.push(confirming);
  const buyback = buybackGroup(me);
  if (buyback) items.push(buyback);
  const insurance = insuranceGroup(me);
  if (insurance) items.push(insurance);
  const scoring = scoringGroup(me);
  if (scoring) items.push(scoring);
  const guarantee = guaranteeGroup(me);
  if (guarantee) items.push(guarantee);
  if (me.permissions.includes('eod:run')) items.push({ key: 'eod', path: '/eod', labelKey: 'nav.eod', icon: <FieldTimeOutlined /> });
  // 提货/解押: the borrower's release requests, the funder's to decide, the warehouse's released goods to check out
  if (['operator', 'warehouse', 'core', 'supplier', 'dealer', 'bank', 'factor'].includes(type) && me.permissions.includes('loan:read'))
    items.push({ key: 'releases', path: '/inventory/releases', labelKey: 'invRel.nav', icon: <ExportOutlined /> });
  if (me.permissions.includes('ledger:read'))
    items.push({ key: 'ledger', path: '/ledger', labelKey: 'nav.ledger', icon: <AccountBookOutlined /> });
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
  individual: '#fa541c',
};
