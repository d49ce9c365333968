-- 提货单/出库指令 (issue 14: "check-out only against a release or a delivery order for that quantity"): the owner of a
-- lot in store under no receipt (free, or under a dynamic pledge) instructs its warehouse to hand over a quantity; the
-- warehouse's check-out consumes it by a conditional update (remaining_minor >= q), executed when nothing remains.
create table inventory_delivery_orders (
  id uuid primary key,
  order_no text not null,
  lot_id uuid not null,
  owner_org_id uuid not null,
  warehouse_org_id uuid not null,
  -- minor units of the lot's SKU scale
  quantity_minor bigint not null,
  remaining_minor bigint not null,
  -- serial-tracked goods: the units the owner names (the check-out takes only these)
  serials text[] not null default '{}',
  -- who collects the goods: a name, a vehicle
  pickup text,
  note text,
  status text not null default 'open',
  business_date date not null,
  issued_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint inventory_delivery_orders_status check (status in ('open','executed','cancelled')),
  constraint inventory_delivery_orders_quantity check (quantity_minor > 0 and remaining_minor >= 0 and remaining_minor <= quantity_minor),
  constraint inventory_delivery_orders_executed check ((status = 'executed') = (remaining_minor = 0))
);
--> statement-breakpoint
create unique index inventory_delivery_orders_no_key on inventory_delivery_orders (order_no);
--> statement-breakpoint
create index inventory_delivery_orders_lot_idx on inventory_delivery_orders (lot_id, status);
--> statement-breakpoint
create index inventory_delivery_orders_warehouse_idx on inventory_delivery_orders (warehouse_org_id, status, created_at);
--> statement-breakpoint
create index inventory_delivery_orders_owner_idx on inventory_delivery_orders (owner_org_id, created_at);
--> statement-breakpoint
-- a check-out asks whether its lot was freed by an approved release (the release is the instruction)
create index inventory_release_items_freed_idx on inventory_release_items using gin (freed_lot_ids);
