import type { Messages } from './zh-CN';

const en: Messages = {
  app: { name: 'OpenSCF Supply-Chain Finance', short: 'OpenSCF' },
  common: {
    search: 'Search', reset: 'Reset', create: 'New', edit: 'Edit', save: 'Save', cancel: 'Cancel', submit: 'Submit', delete: 'Delete',
    confirm: 'Confirm', actions: 'Actions', detail: 'Details', back: 'Back', loading: 'Loading…', none: 'None', yes: 'Yes', no: 'No',
    refresh: 'Refresh', loadMore: 'Load more', download: 'Download', upload: 'Upload', all: 'All', total: '{{count}} in total', saved: 'Saved',
    language: '中文', logout: 'Sign out', businessDate: 'Business date', notAvailable: '—', required: 'Required',
  },
  nav: {
    dashboard: 'Dashboard', members: 'Members', network: 'Supply-chain members', customers: 'Customers', counterparties: 'Counterparties',
    parties: 'Parties', graph: 'Relationship graph', users: 'Users', audit: 'Audit log', system: 'System',
  },
  portal: {
    operator: 'Operator portal', core: 'Core enterprise portal', supplier: 'Supplier portal', dealer: 'Dealer portal', bank: 'Bank portal', factor: 'Factoring portal',
    warehouse: 'Warehouse portal', logistics: 'Logistics portal', insurer: 'Insurer portal', guarantor: 'Guarantor portal', buyback: 'Buyback portal',
  },
  orgType: {
    operator: 'Platform operator', core: 'Core enterprise', supplier: 'Supplier', dealer: 'Dealer', bank: 'Bank', factor: 'Factoring company',
    warehouse: 'Warehouse / supervisor', logistics: 'Logistics', insurer: 'Insurer', guarantor: 'Guarantee company', buyback: 'Buyback institution',
  },
  role: { admin: 'Admin', officer: 'Officer (maker)', approver: 'Approver (checker)', viewer: 'Viewer' },
  classification: { quality: 'Quality', normal: 'Normal', potential: 'Potential', blacklist: 'Blacklist' },
  memberStatus: { member: 'Member', prospect: 'Pending admission', suspended: 'Suspended' },
  relationshipKind: { supplier: 'Supplies', dealer: 'Distributes', funder: 'Finances', service: 'Serves' },
  rel: { from: 'From', to: 'To', kind: 'Relationship', since: 'Since' },
  access: { basic: 'Basic', confidential: 'Credit view', manage: 'Manage' },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', demoHint: 'Demo accounts (password {{password}})',
    subtitle: 'One platform for core enterprises, their suppliers and dealers, funders and service providers',
  },
  dashboard: {
    welcome: 'Welcome, {{name}}', visibleParties: 'Visible parties', relationships: 'Relationships', prospects: 'Pending admission', blacklisted: 'Blacklisted',
    byType: 'Parties by type', network: 'My supply-chain network', quick: 'Shortcuts',
  },
  party: {
    name: 'Name', shortName: 'Short name', type: 'Type', creditCode: 'Unified social credit code', legalRepresentative: 'Legal representative',
    registeredCapital: 'Registered capital (CNY)', address: 'Registered address', region: 'Region', industry: 'Industry', foundedOn: 'Founded on',
    phone: 'Phone', email: 'Email', website: 'Website', description: 'Description', memberStatus: 'Membership', classification: 'Classification',
    keyword: 'Name / short name / credit code', createTitle: 'New party', editTitle: 'Edit party', created: 'Created: {{name}}',
    tier: 'Tier', tabs: { profile: 'Profile', contacts: 'Contacts', people: 'Key persons & shareholders', statements: 'Financial statements', attachments: 'Attachments', classification: 'Classification', followUps: 'Follow-ups', relationships: 'Relationships' },
    admit: 'Admit as member', suspend: 'Suspend', classify: 'Classify', reason: 'Reason', history: 'History',
    contactName: 'Name', title: 'Title', primary: 'Primary contact', keyPersons: 'Key persons', shareholders: 'Shareholders', sharePct: 'Share %',
    contribution: 'Contribution (CNY)', personRole: 'Role', idNumber: 'ID number (masked)', kind: 'Kind',
    confidentialHint: 'Visible to managers and to organisations with a financing or service relationship only',
  },
  personRole: { legal_representative: 'Legal representative', actual_controller: 'Actual controller', director: 'Director', supervisor: 'Supervisor', general_manager: 'General manager', cfo: 'CFO' },
  shareholderKind: { corporate: 'Corporate', individual: 'Individual', state: 'State-owned' },
  statement: {
    period: 'Period', periodType: 'Period type', audited: 'Audited', add: 'Add statement', annual: 'Annual', semiannual: 'Semi-annual', quarterly: 'Quarterly', monthly: 'Monthly',
    lines: {
      cash: 'Cash', receivables: 'Accounts receivable', inventory: 'Inventory', currentAssets: 'Total current assets', totalAssets: 'Total assets',
      currentLiabilities: 'Total current liabilities', totalLiabilities: 'Total liabilities', equity: "Owners' equity", revenue: 'Revenue',
      costOfSales: 'Cost of sales', netProfit: 'Net profit', operatingCashFlow: 'Operating cash flow',
    },
    ratios: {
      currentRatio: 'Current ratio', quickRatio: 'Quick ratio', debtToAsset: 'Debt-to-asset', roe: 'ROE', roa: 'ROA',
      grossMargin: 'Gross margin', netMargin: 'Net margin', revenueGrowth: 'Revenue growth', receivablesTurnover: 'Receivables turnover',
      inventoryTurnover: 'Inventory turnover', operatingCashFlowToCurrentLiabilities: 'Cash flow / current liabilities',
    },
    trend: 'Revenue and profit (10k CNY)', ratioTitle: 'Ratios',
  },
  attachment: {
    fileName: 'File', category: 'Category', visibility: 'Visibility', size: 'Size', uploadedAt: 'Uploaded', private: 'Private', shared: 'Shared',
    hint: 'PDF, PNG, JPG, XLSX, DOCX, TXT or CSV, up to 10 MB each',
    categories: { business_licence: 'Business licence', financial_statement: 'Financial statement', contract: 'Contract', id_document: 'ID document', site_photo: 'Site photo', credit_report: 'Credit report', other: 'Other' },
  },
  followUp: { channel: 'Channel', content: 'Notes', nextAction: 'Next step', nextDate: 'Planned date', add: 'Add follow-up', channels: { visit: 'Visit', call: 'Call', meeting: 'Meeting', email: 'Email', other: 'Other' } },
  graph: { title: 'Supply-chain relationship graph', network: 'Network', legend: 'Legend', empty: 'No relationships yet' },
  audit: { time: 'Time', user: 'User', action: 'Action', object: 'Object', requestId: 'Request', changes: 'Changes', before: 'Before', after: 'After', filterAction: 'Action' },
  users: { username: 'Username', displayName: 'Name', roles: 'Roles', status: 'Status', lastLogin: 'Last sign-in', active: 'Active', disabled: 'Disabled', create: 'New user', password: 'Initial password', resetPassword: 'Reset password', newPassword: 'New password', organization: 'Organisation', locked: 'Locked until {{time}}' },
  system: { advanceDate: 'Advance business date', newDate: 'New business date', apiTokens: 'API tokens', tokenName: 'Name', tokenCreated: 'Token created (shown once): ', revoke: 'Revoke' },
  errors: { network: 'Network problem, please retry', notFound: 'Page not found' },
};
export default en;
