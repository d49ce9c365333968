/**
 * Parties (参与方 / 客户): every organisation on the platform and its profile. An organisation is the
 * tenant: users belong to one, and every business table elsewhere carries an organisation key.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, boolean, numeric, jsonb, index, uniqueIndex, check, primaryKey } from 'drizzle-orm/pg-core';
import { amountMinor, businessDate, bytea, instant } from '../../kernel/columns';

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey(),
    type: text('type').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    creditCode: text('credit_code'),
    legalRepresentative: text('legal_representative'),
    registeredCapitalMinor: amountMinor('registered_capital_minor'),
    capitalCurrency: text('capital_currency').notNull().default('CNY'),
    address: text('address'),
    region: text('region'),
    industry: text('industry'),
    foundedOn: businessDate('founded_on'),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    description: text('description'),
    /** member: may sign in; prospect: a customer profile without platform access yet; suspended. */
    memberStatus: text('member_status').notNull().default('member'),
    /** The organisation that registered and manages this profile (e.g. the core enterprise for its members). */
    managedByOrgId: uuid('managed_by_org_id'),
    version: integer('version').notNull().default(1),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organizations_credit_code_key').on(t.creditCode),
    index('organizations_type_idx').on(t.type),
    index('organizations_managed_by_idx').on(t.managedByOrgId),
    // 全局搜索 (migration 0048)
    index('organizations_name_trgm').using('gin', t.name.op('gin_trgm_ops')),
    index('organizations_short_name_trgm').using('gin', t.shortName.op('gin_trgm_ops')),
    index('organizations_credit_code_trgm').using('gin', t.creditCode.op('gin_trgm_ops')),
    check(
      'organizations_type_check',
      sql`${t.type} in ('operator','core','supplier','dealer','bank','factor','warehouse','logistics','insurer','guarantor','buyback','individual')`,
    ),
    check('organizations_member_status_check', sql`${t.memberStatus} in ('member','prospect','suspended')`),
    check('organizations_capital_check', sql`${t.registeredCapitalMinor} is null or ${t.registeredCapitalMinor} >= 0`),
  ],
);

export const partyContacts = pgTable(
  'party_contacts',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    title: text('title'),
    phone: text('phone'),
    email: text('email'),
    isPrimary: boolean('is_primary').notNull().default(false),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('party_contacts_org_idx').on(t.orgId)],
);

export const partyKeyPersons = pgTable(
  'party_key_persons',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    /** legal_representative, actual_controller, director, supervisor, general_manager, cfo */
    role: text('role').notNull(),
    idNumberMasked: text('id_number_masked'),
    phone: text('phone'),
    note: text('note'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [index('party_key_persons_org_idx').on(t.orgId)],
);

export const partyShareholders = pgTable(
  'party_shareholders',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    sharePct: numeric('share_pct', { precision: 7, scale: 4 }).notNull(),
    contributionMinor: amountMinor('contribution_minor'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('party_shareholders_org_idx').on(t.orgId),
    check('party_shareholders_kind_check', sql`${t.kind} in ('corporate','individual','state')`),
    check('party_shareholders_share_check', sql`${t.sharePct} > 0 and ${t.sharePct} <= 100`),
  ],
);

export const partyAttachments = pgTable(
  'party_attachments',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    uploadedByOrgId: uuid('uploaded_by_org_id').notNull(),
    uploadedByUserId: uuid('uploaded_by_user_id').notNull(),
    category: text('category').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** private: the party, the uploader and the operator; shared: everyone who can see the party. */
    visibility: text('visibility').notNull(),
    content: bytea('content').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('party_attachments_org_idx').on(t.orgId),
    check('party_attachments_visibility_check', sql`${t.visibility} in ('private','shared')`),
    check('party_attachments_size_check', sql`${t.sizeBytes} > 0 and ${t.sizeBytes} <= 10485760`),
  ],
);

export const financialStatements = pgTable(
  'financial_statements',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    periodType: text('period_type').notNull(),
    periodEnd: businessDate('period_end').notNull(),
    currency: text('currency').notNull().default('CNY'),
    audited: boolean('audited').notNull().default(false),
    cashMinor: amountMinor('cash_minor').notNull(),
    receivablesMinor: amountMinor('receivables_minor').notNull(),
    inventoryMinor: amountMinor('inventory_minor').notNull(),
    currentAssetsMinor: amountMinor('current_assets_minor').notNull(),
    totalAssetsMinor: amountMinor('total_assets_minor').notNull(),
    currentLiabilitiesMinor: amountMinor('current_liabilities_minor').notNull(),
    totalLiabilitiesMinor: amountMinor('total_liabilities_minor').notNull(),
    equityMinor: amountMinor('equity_minor').notNull(),
    revenueMinor: amountMinor('revenue_minor').notNull(),
    costOfSalesMinor: amountMinor('cost_of_sales_minor').notNull(),
    netProfitMinor: amountMinor('net_profit_minor').notNull(),
    operatingCashFlowMinor: amountMinor('operating_cash_flow_minor').notNull(),
    /** 利息费用 and 所得税 (migration 0046): the interest cover's lines; null on statements entered without them. */
    interestExpenseMinor: amountMinor('interest_expense_minor'),
    incomeTaxMinor: amountMinor('income_tax_minor'),
    enteredByOrgId: uuid('entered_by_org_id').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('financial_statements_period_key').on(t.orgId, t.periodType, t.periodEnd),
    check('financial_statements_period_type_check', sql`${t.periodType} in ('annual','semiannual','quarterly','monthly')`),
    check('financial_statements_balanced_check', sql`${t.totalAssetsMinor} = ${t.totalLiabilitiesMinor} + ${t.equityMinor}`),
    check('financial_statements_interest_check', sql`${t.interestExpenseMinor} is null or ${t.interestExpenseMinor} >= 0`),
  ],
);

/** Append-only: the newest row per (owner, party) is the current classification; the rest is history. */
export const partyClassifications = pgTable(
  'party_classifications',
  {
    id: uuid('id').primaryKey(),
    ownerOrgId: uuid('owner_org_id').notNull(),
    partyId: uuid('party_id')
      .notNull()
      .references(() => organizations.id),
    classification: text('classification').notNull(),
    reason: text('reason').notNull(),
    setByUserId: uuid('set_by_user_id').notNull(),
    /** The business date it was set on. */
    businessDate: businessDate('business_date').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('party_classifications_lookup_idx').on(t.ownerOrgId, t.partyId, t.createdAt),
    check('party_classifications_value_check', sql`${t.classification} in ('quality','normal','potential','blacklist')`),
  ],
);

/**
 * Relationships: `fromOrgId` is the anchor side (buyer, core enterprise, funder, service provider) and
 * `toOrgId` the member side (supplier, dealer, customer, client). `networkOrgId` is the core enterprise of a
 * 1+N chain for supplier/dealer links; the core enterprise sees and manages its whole network.
 */
export const partyRelationships = pgTable(
  'party_relationships',
  {
    id: uuid('id').primaryKey(),
    networkOrgId: uuid('network_org_id'),
    fromOrgId: uuid('from_org_id')
      .notNull()
      .references(() => organizations.id),
    toOrgId: uuid('to_org_id')
      .notNull()
      .references(() => organizations.id),
    kind: text('kind').notNull(),
    tier: integer('tier'),
    sinceDate: businessDate('since_date').notNull(),
    status: text('status').notNull().default('active'),
    note: text('note'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('party_relationships_pair_key').on(t.fromOrgId, t.toOrgId, t.kind),
    index('party_relationships_to_idx').on(t.toOrgId),
    index('party_relationships_network_idx').on(t.networkOrgId),
    check('party_relationships_kind_check', sql`${t.kind} in ('supplier','dealer','funder','service')`),
    check('party_relationships_status_check', sql`${t.status} in ('active','ended')`),
    check('party_relationships_not_self_check', sql`${t.fromOrgId} <> ${t.toOrgId}`),
    check('party_relationships_tier_check', sql`${t.tier} is null or (${t.tier} between 1 and 9)`),
  ],
);

export const partyFollowUps = pgTable(
  'party_follow_ups',
  {
    id: uuid('id').primaryKey(),
    ownerOrgId: uuid('owner_org_id').notNull(),
    partyId: uuid('party_id')
      .notNull()
      .references(() => organizations.id),
    userId: uuid('user_id').notNull(),
    channel: text('channel').notNull(),
    content: text('content').notNull(),
    nextAction: text('next_action'),
    nextDate: businessDate('next_date'),
    /** The business date of the follow-up. */
    businessDate: businessDate('business_date').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('party_follow_ups_lookup_idx').on(t.ownerOrgId, t.partyId, t.createdAt),
    check('party_follow_ups_channel_check', sql`${t.channel} in ('visit','call','meeting','email','other')`),
  ],
);

/** 个人客户档案 (migration 0046): a natural person's sections — basic (one), family, shops, occupations, history, economic file. */
export const partyPersonSections = pgTable(
  'party_person_sections',
  {
    id: uuid('id').primaryKey(),
    partyId: uuid('party_id')
      .notNull()
      .references(() => organizations.id),
    section: text('section').notNull(),
    data: jsonb('data').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('party_person_sections_party_idx').on(t.partyId, t.section),
    uniqueIndex('party_person_sections_basic_key').on(t.partyId).where(sql`${t.section} = 'basic'`),
    check('party_person_sections_section', sql`${t.section} in ('basic','family','shop','occupation','history','economic')`),
  ],
);

/** 客户信息要素: the extra customer fields an organisation defines for itself, per customer type. */
export const partyFieldDefinitions = pgTable(
  'party_field_definitions',
  {
    id: uuid('id').primaryKey(),
    ownerOrgId: uuid('owner_org_id').notNull(),
    customerType: text('customer_type').notNull(),
    key: text('key').notNull(),
    labelZh: text('label_zh').notNull(),
    labelEn: text('label_en').notNull(),
    fieldType: text('field_type').notNull(),
    required: boolean('required').notNull().default(false),
    options: text('options').array().notNull().default(sql`'{}'`),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('party_field_definitions_key_key').on(t.ownerOrgId, t.customerType, t.key),
    check('party_field_definitions_customer_type', sql`${t.customerType} in ('corporate','individual')`),
    check('party_field_definitions_type', sql`${t.fieldType} in ('text','number','date','enum','money')`),
    check('party_field_definitions_options', sql`${t.fieldType} <> 'enum' or cardinality(${t.options}) between 1 and 50`),
    check('party_field_definitions_key', sql`${t.key} ~ '^[a-z][a-z0-9_]{0,39}$'`),
  ],
);

/** The values of those fields: the defining organisation's own record of the customer. */
export const partyFieldValues = pgTable(
  'party_field_values',
  {
    ownerOrgId: uuid('owner_org_id').notNull(),
    partyId: uuid('party_id')
      .notNull()
      .references(() => organizations.id),
    fieldId: uuid('field_id')
      .notNull()
      .references(() => partyFieldDefinitions.id),
    value: text('value').notNull(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ownerOrgId, t.partyId, t.fieldId] })],
);
