const zhCN = {
  app: { name: 'OpenSCF 供应链金融平台', short: 'OpenSCF' },
  common: {
    search: '搜索', reset: '重置', create: '新建', edit: '编辑', save: '保存', cancel: '取消', submit: '提交', delete: '删除',
    confirm: '确认', actions: '操作', detail: '详情', back: '返回', loading: '加载中…', none: '无', yes: '是', no: '否',
    refresh: '刷新', loadMore: '加载更多', download: '下载', upload: '上传', all: '全部', total: '共 {{count}} 条', saved: '已保存',
    language: 'English', logout: '退出登录', businessDate: '营业日期', notAvailable: '—', required: '必填',
  },
  nav: {
    dashboard: '工作台', members: '会员管理', network: '供应链成员', customers: '客户管理', counterparties: '合作方',
    parties: '参与方', graph: '关系图谱', users: '用户管理', audit: '审计日志', system: '系统设置',
  },
  portal: {
    operator: '平台运营门户', core: '核心企业门户', supplier: '供应商门户', dealer: '经销商门户', bank: '银行门户', factor: '保理门户',
    warehouse: '仓储监管门户', logistics: '物流门户', insurer: '保险机构门户', guarantor: '担保公司门户', buyback: '回购机构门户',
  },
  orgType: {
    operator: '平台运营方', core: '核心企业', supplier: '供应商', dealer: '经销商', bank: '银行', factor: '保理公司',
    warehouse: '仓储监管', logistics: '物流', insurer: '保险机构', guarantor: '担保公司', buyback: '回购机构',
  },
  role: { admin: '管理员', officer: '经办', approver: '复核/审批', viewer: '查看' },
  classification: { quality: '优质客户', normal: '一般客户', potential: '潜在客户', blacklist: '黑名单' },
  memberStatus: { member: '正式会员', prospect: '待准入', suspended: '已暂停' },
  relationshipKind: { supplier: '供货', dealer: '经销', funder: '融资', service: '服务' },
  rel: { from: '发起方', to: '对方', kind: '关系', since: '起始日期' },
  access: { basic: '基础信息', confidential: '授信视角', manage: '管理' },
  login: {
    title: '登录', username: '用户名', password: '密码', submit: '登录', demoHint: '演示账号（密码 {{password}}）',
    subtitle: '连接核心企业、上下游、资金方与服务机构的一站式供应链金融平台',
  },
  dashboard: {
    welcome: '欢迎，{{name}}', visibleParties: '可见参与方', relationships: '合作关系', prospects: '待准入', blacklisted: '黑名单',
    byType: '参与方构成', network: '我的供应链网络', quick: '快捷入口',
  },
  party: {
    name: '名称', shortName: '简称', type: '类型', creditCode: '统一社会信用代码', legalRepresentative: '法定代表人',
    registeredCapital: '注册资本（元）', address: '注册地址', region: '地区', industry: '行业', foundedOn: '成立日期',
    phone: '电话', email: '邮箱', website: '网站', description: '简介', memberStatus: '会员状态', classification: '客户分类',
    keyword: '名称 / 简称 / 信用代码', createTitle: '新建参与方', editTitle: '编辑参与方', created: '已创建：{{name}}',
    tier: '层级', tabs: { profile: '基本信息', contacts: '联系人', people: '关键人员与股东', statements: '财务报表', attachments: '附件', classification: '客户分类', followUps: '跟进记录', relationships: '合作关系' },
    admit: '准入为会员', suspend: '暂停会员', classify: '设置分类', reason: '原因', history: '分类历史',
    contactName: '姓名', title: '职务', primary: '主要联系人', keyPersons: '关键人员', shareholders: '股东', sharePct: '持股比例 %',
    contribution: '出资额（元）', personRole: '角色', idNumber: '证件号（脱敏）', kind: '类别',
    confidentialHint: '仅对管理方及有授信/服务关系的机构可见',
  },
  personRole: { legal_representative: '法定代表人', actual_controller: '实际控制人', director: '董事', supervisor: '监事', general_manager: '总经理', cfo: '财务负责人' },
  shareholderKind: { corporate: '法人股东', individual: '自然人股东', state: '国有股东' },
  statement: {
    period: '报告期', periodType: '期间类型', audited: '已审计', add: '录入报表', annual: '年报', semiannual: '半年报', quarterly: '季报', monthly: '月报',
    lines: {
      cash: '货币资金', receivables: '应收账款', inventory: '存货', currentAssets: '流动资产合计', totalAssets: '资产总计',
      currentLiabilities: '流动负债合计', totalLiabilities: '负债合计', equity: '所有者权益合计', revenue: '营业收入',
      costOfSales: '营业成本', netProfit: '净利润', operatingCashFlow: '经营活动现金流量净额',
    },
    ratios: {
      currentRatio: '流动比率', quickRatio: '速动比率', debtToAsset: '资产负债率', roe: '净资产收益率', roa: '总资产收益率',
      grossMargin: '毛利率', netMargin: '净利率', revenueGrowth: '营业收入增长率', receivablesTurnover: '应收账款周转率',
      inventoryTurnover: '存货周转率', operatingCashFlowToCurrentLiabilities: '现金流动负债比',
    },
    trend: '收入与利润趋势（万元）', ratioTitle: '财务比率',
  },
  attachment: {
    fileName: '文件名', category: '类别', visibility: '可见范围', size: '大小', uploadedAt: '上传时间', private: '私密', shared: '共享',
    hint: '支持 PDF、PNG、JPG、XLSX、DOCX、TXT、CSV，单个文件不超过 10 MB',
    categories: { business_licence: '营业执照', financial_statement: '财务报表', contract: '合同', id_document: '证件', site_photo: '现场照片', credit_report: '征信报告', other: '其他' },
  },
  followUp: { channel: '方式', content: '内容', nextAction: '下一步', nextDate: '计划日期', add: '新增跟进', channels: { visit: '拜访', call: '电话', meeting: '会议', email: '邮件', other: '其他' } },
  graph: { title: '供应链关系图谱', network: '网络', legend: '图例', empty: '暂无关系' },
  audit: { time: '时间', user: '用户', action: '操作', object: '对象', requestId: '请求号', changes: '变更内容', before: '变更前', after: '变更后', filterAction: '操作类型' },
  users: { username: '用户名', displayName: '姓名', roles: '角色', status: '状态', lastLogin: '最近登录', active: '启用', disabled: '停用', create: '新建用户', password: '初始密码', resetPassword: '重置密码', newPassword: '新密码', organization: '所属机构', locked: '已锁定至 {{time}}' },
  system: { advanceDate: '推进营业日期', newDate: '新营业日期', apiTokens: 'API 令牌', tokenName: '名称', tokenCreated: '令牌已创建（只显示一次）：', revoke: '吊销' },
  errors: { network: '网络异常，请稍后重试', notFound: '页面不存在' },
};
export default zhCN;
export type Messages = typeof zhCN;
