-- 工作台 (issue 18): pinned notices (置顶公告) that the operator or a funder publishes to the parties it chooses —
-- all its counterparties or named ones, resolved to a recipient list when published (an organisation that becomes a
-- counterparty later does not receive an older notice) — shown on the recipients' workbench until `pinned_until`.
-- The cards and alerts are computed from the modules' own tables; nothing of them is stored. No other module reads
-- or writes these tables.
create table workbench_notices (
  id uuid primary key,
  publisher_org_id uuid not null,
  title text not null check (char_length(title) between 1 and 120),
  body text not null check (char_length(body) <= 2000),
  -- counterparties: every organisation the publisher may see when published; named: the ones it named
  audience text not null check (audience in ('counterparties','named')),
  -- the last business date the notice stays pinned
  pinned_until date not null,
  -- the business date it was published on
  business_date date not null check (business_date <= pinned_until),
  created_by uuid not null,
  created_at timestamptz not null default now()
);
--> statement-breakpoint
create index workbench_notices_publisher_idx on workbench_notices (publisher_org_id, pinned_until);
--> statement-breakpoint
create table workbench_notice_recipients (
  notice_id uuid not null references workbench_notices (id),
  org_id uuid not null,
  primary key (notice_id, org_id)
);
--> statement-breakpoint
create index workbench_notice_recipients_org_idx on workbench_notice_recipients (org_id, notice_id);
