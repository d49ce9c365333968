-- Inventory (存货/仓单): the goods catalogue, price observations, warehouses, lots and their append-only events,
-- electronic warehouse receipts (电子仓单) and the pledge records that hold one receipt or lot for one funder.
-- btree_gist: the exclusion constraint on price windows compares a uuid and a text by equality next to a range.
create extension if not exists btree_gist;
--> statement-breakpoint
create table inventory_categories (
  id uuid primary key,
  parent_id uuid references inventory_categories(id),
  level integer not null,
  code text not null,
  name text not null,
  pledge_ratio numeric(5,4),
  haircut numeric(5,4),
  created_at timestamptz not null default now(),
  constraint inventory_categories_level check (level between 1 and 3),
  constraint inventory_categories_parent check ((level = 1) = (parent_id is null)),
  constraint inventory_categories_ratio check (pledge_ratio is null or (pledge_ratio > 0 and pledge_ratio <= 1)),
  constraint inventory_categories_haircut check (haircut is null or (haircut >= 0 and haircut < 1))
);
--> statement-breakpoint
create unique index inventory_categories_code_key on inventory_categories (code);
--> statement-breakpoint
create table inventory_skus (
  id uuid primary key,
  category_id uuid not null references inventory_categories(id),
  code text not null,
  name text not null,
  spec text,
  model text,
  material text,
  origin text,
  unit text not null,
  quantity_scale integer not null,
  unit_weight_g bigint,
  serial_tracked boolean not null default false,
  pledge_ratio numeric(5,4),
  haircut numeric(5,4),
  created_at timestamptz not null default now(),
  constraint inventory_skus_scale check (quantity_scale between 0 and 6),
  constraint inventory_skus_serial_whole check (not serial_tracked or quantity_scale = 0),
  constraint inventory_skus_ratio check (pledge_ratio is null or (pledge_ratio > 0 and pledge_ratio <= 1)),
  constraint inventory_skus_haircut check (haircut is null or (haircut >= 0 and haircut < 1)),
  constraint inventory_skus_weight check (unit_weight_g is null or unit_weight_g > 0)
);
--> statement-breakpoint
create unique index inventory_skus_code_key on inventory_skus (code);
--> statement-breakpoint
create index inventory_skus_category_idx on inventory_skus (category_id);
--> statement-breakpoint
create table inventory_prices (
  id uuid primary key,
  sku_id uuid not null references inventory_skus(id),
  source text not null,
  currency text not null,
  price_minor bigint not null,
  valid_from date not null,
  valid_to date not null,
  entered_by_org_id uuid not null,
  entered_by uuid not null,
  import_batch_id uuid,
  note text,
  created_at timestamptz not null default now(),
  constraint inventory_prices_source check (source in ('funder_appraisal','exchange_settlement','contract','industry_site')),
  constraint inventory_prices_positive check (price_minor > 0),
  constraint inventory_prices_window check (valid_to >= valid_from),
  -- one SKU and source never has two prices on one day, whoever enters them and however concurrently
  constraint inventory_prices_no_overlap exclude using gist (
    sku_id with =, source with =, daterange(valid_from, valid_to, '[]') with &&
  )
);
--> statement-breakpoint
create table inventory_price_imports (
  id uuid primary key,
  org_id uuid not null,
  file_name text not null,
  rows integer not null,
  status text not null,
  errors integer not null,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  constraint inventory_price_imports_status check (status in ('accepted','rejected'))
);
--> statement-breakpoint
create table inventory_warehouses (
  id uuid primary key,
  org_id uuid not null,
  supervisor_org_id uuid not null,
  code text not null,
  name text not null,
  address text not null,
  status text not null default 'active',
  created_at timestamptz not null default now(),
  constraint inventory_warehouses_status check (status in ('active','suspended','closed'))
);
--> statement-breakpoint
create unique index inventory_warehouses_code_key on inventory_warehouses (code);
--> statement-breakpoint
create index inventory_warehouses_org_idx on inventory_warehouses (org_id);
--> statement-breakpoint
create table inventory_locations (
  id uuid primary key,
  warehouse_id uuid not null references inventory_warehouses(id),
  code text not null,
  name text not null,
  created_at timestamptz not null default now()
);
--> statement-breakpoint
create unique index inventory_locations_code_key on inventory_locations (warehouse_id, code);
--> statement-breakpoint
create table inventory_lots (
  id uuid primary key,
  lot_no text not null,
  sku_id uuid not null references inventory_skus(id),
  warehouse_id uuid not null references inventory_warehouses(id),
  warehouse_org_id uuid not null,
  location_id uuid references inventory_locations(id),
  owner_org_id uuid not null,
  announced_minor bigint not null,
  quantity_minor bigint not null,
  weight_g bigint,
  batch_no text,
  container_no text,
  marks text,
  status text not null default 'in_transit',
  receipt_id uuid,
  parent_lot_id uuid references inventory_lots(id),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint inventory_lots_status check (status in ('in_transit','in_store','pledged','checked_out','disposed')),
  constraint inventory_lots_quantity check (quantity_minor >= 0 and announced_minor >= 0),
  -- goods under a receipt are in store (pledged or not) and never moving
  constraint inventory_lots_receipt_in_store check (receipt_id is null or status in ('in_store','pledged'))
);
--> statement-breakpoint
create unique index inventory_lots_no_key on inventory_lots (lot_no);
--> statement-breakpoint
create index inventory_lots_owner_idx on inventory_lots (owner_org_id, status);
--> statement-breakpoint
create index inventory_lots_warehouse_idx on inventory_lots (warehouse_org_id, status);
--> statement-breakpoint
create index inventory_lots_receipt_idx on inventory_lots (receipt_id) where receipt_id is not null;
--> statement-breakpoint
create table inventory_lot_serials (
  lot_id uuid not null references inventory_lots(id),
  serial_no text not null,
  sku_id uuid not null,
  status text not null default 'in_store',
  primary key (lot_id, serial_no),
  constraint inventory_lot_serials_status check (status in ('in_store','checked_out','moved'))
);
--> statement-breakpoint
-- a serial number (VIN) is in store once per SKU: the same excavator cannot be checked in twice
create unique index inventory_lot_serials_live_key on inventory_lot_serials (sku_id, serial_no) where status = 'in_store';
--> statement-breakpoint
create table inventory_lot_events (
  id uuid primary key,
  lot_id uuid not null references inventory_lots(id),
  owner_org_id uuid not null,
  kind text not null,
  quantity_delta_minor bigint not null,
  business_date date not null,
  at timestamptz not null default now(),
  actor_user_id uuid not null,
  actor_org_id uuid not null,
  request_id text not null,
  details jsonb not null default '{}',
  constraint inventory_lot_events_kind check (kind in (
    'announce','check_in','check_out','stocktake','split_out','split_in','receipt_draft','receipt_cancel',
    'pledge','release','endorse','dispose'))
);
--> statement-breakpoint
create index inventory_lot_events_lot_idx on inventory_lot_events (lot_id, at);
--> statement-breakpoint
-- events are the record of every movement: never changed, never removed
create function inventory_lot_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'inventory_lot_events is append-only' using errcode = 'P0001';
end $$;
--> statement-breakpoint
create trigger inventory_lot_events_append_only before update or delete on inventory_lot_events
  for each row execute function inventory_lot_events_append_only();
--> statement-breakpoint
create table inventory_lot_files (
  id uuid primary key,
  lot_id uuid not null references inventory_lots(id),
  owner_org_id uuid not null,
  kind text not null,
  file_name text not null,
  content_type text not null,
  size_bytes integer not null,
  sha256 text not null,
  content bytea not null,
  uploaded_by uuid not null,
  uploaded_by_org_id uuid not null,
  created_at timestamptz not null default now(),
  constraint inventory_lot_files_kind check (kind in ('photo','weighing_note','delivery_note','inspection','other'))
);
--> statement-breakpoint
create index inventory_lot_files_lot_idx on inventory_lot_files (lot_id);
--> statement-breakpoint
create table inventory_receipts (
  id uuid primary key,
  receipt_no text not null,
  warehouse_id uuid not null references inventory_warehouses(id),
  warehouse_org_id uuid not null,
  holder_org_id uuid not null,
  sku_id uuid not null references inventory_skus(id),
  quantity_minor bigint not null,
  status text not null default 'draft',
  frozen boolean not null default false,
  content jsonb not null,
  content_sha256 text,
  signed_by uuid,
  issued_at timestamptz,
  issue_date date,
  parent_ids uuid[] not null default '{}',
  child_ids uuid[] not null default '{}',
  version integer not null default 1,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint inventory_receipts_status check (status in ('draft','issued','pledged','released','split','merged','cancelled')),
  constraint inventory_receipts_quantity check (quantity_minor > 0),
  constraint inventory_receipts_signed check (status in ('draft','cancelled') or content_sha256 is not null)
);
--> statement-breakpoint
create unique index inventory_receipts_no_key on inventory_receipts (receipt_no);
--> statement-breakpoint
create index inventory_receipts_holder_idx on inventory_receipts (holder_org_id, status);
--> statement-breakpoint
create index inventory_receipts_warehouse_idx on inventory_receipts (warehouse_org_id, status);
--> statement-breakpoint
create table inventory_receipt_events (
  id uuid primary key,
  receipt_id uuid not null references inventory_receipts(id),
  kind text not null,
  from_org_id uuid,
  to_org_id uuid,
  quantity_minor bigint not null,
  related_ids uuid[] not null default '{}',
  business_date date not null,
  at timestamptz not null default now(),
  actor_user_id uuid not null,
  actor_org_id uuid not null,
  request_id text not null,
  constraint inventory_receipt_events_kind check (kind in (
    'draft','issue','pledge','release','endorse','split','merge','cancel','freeze','unfreeze'))
);
--> statement-breakpoint
create index inventory_receipt_events_receipt_idx on inventory_receipt_events (receipt_id, at);
--> statement-breakpoint
create table inventory_pledges (
  id uuid primary key,
  pledge_no text not null,
  receipt_id uuid references inventory_receipts(id),
  lot_id uuid references inventory_lots(id),
  pledgor_org_id uuid not null,
  funder_org_id uuid not null,
  status text not null default 'active',
  business_date date not null,
  released_on date,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  released_at timestamptz,
  constraint inventory_pledges_status check (status in ('active','released')),
  constraint inventory_pledges_subject check ((receipt_id is null) <> (lot_id is null)),
  constraint inventory_pledges_released check ((status = 'released') = (released_at is not null))
);
--> statement-breakpoint
create unique index inventory_pledges_no_key on inventory_pledges (pledge_no);
--> statement-breakpoint
-- ONE active pledge per receipt and per lot: the database refuses the second, however many race
create unique index inventory_pledges_one_per_receipt on inventory_pledges (receipt_id) where status = 'active' and receipt_id is not null;
--> statement-breakpoint
create unique index inventory_pledges_one_per_lot on inventory_pledges (lot_id) where status = 'active' and lot_id is not null;
--> statement-breakpoint
create index inventory_pledges_funder_idx on inventory_pledges (funder_org_id, status);
--> statement-breakpoint
create table inventory_stocktakes (
  id uuid primary key,
  warehouse_id uuid not null references inventory_warehouses(id),
  warehouse_org_id uuid not null,
  business_date date not null,
  lots integer not null,
  differences integer not null,
  created_by uuid not null,
  created_at timestamptz not null default now()
);
