/** The product factory (产品工厂): products and their versioned terms. */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, jsonb, uniqueIndex, index, check, primaryKey } from 'drizzle-orm/pg-core';
import { instant } from '../../kernel/columns';

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey(),
    /** The funder (or the operator) that offers the product. */
    ownerOrgId: uuid('owner_org_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    mode: text('mode').notNull(),
    /** draft | published | retired */
    status: text('status').notNull().default('draft'),
    /** The version new applications use (null until first published). */
    publishedVersion: integer('published_version'),
    description: text('description'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('products_owner_code_key').on(t.ownerOrgId, t.code),
    index('products_status_idx').on(t.status),
    check('products_status', sql`${t.status} in ('draft','published','retired')`),
    check(
      'products_mode',
      sql`${t.mode} in ('order','inventory','warehouse_receipt','factoring','receivables','insurance_policy','confirming_storage','guarantee')`,
    ),
  ],
);

/** Terms per version; a published version is immutable (trigger in migrations/0004_products_guard.sql). */
export const productVersions = pgTable(
  'product_versions',
  {
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    version: integer('version').notNull(),
    /** draft | published */
    status: text('status').notNull().default('draft'),
    terms: jsonb('terms').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    publishedAt: instant('published_at'),
  },
  (t) => [primaryKey({ columns: [t.productId, t.version] }), check('product_versions_status', sql`${t.status} in ('draft','published')`)],
);
