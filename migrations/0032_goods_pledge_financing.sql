-- 动产质押 / 仓单质押 financing (issue 14): an application under an inventory or warehouse_receipt product names the
-- lots or receipts it pledges; on submission they are pledged to the funder (inventory_pledges rows linked to the
-- application), static or dynamic, a dynamic pledge with the funder's minimum controlled value (最低控货价值).
alter table loan_applications add column lot_ids jsonb not null default '[]'::jsonb;
--> statement-breakpoint
alter table loan_applications add column receipt_ids jsonb not null default '[]'::jsonb;
--> statement-breakpoint
alter table loan_applications add column pledge_kind text;
--> statement-breakpoint
alter table loan_applications add column min_controlled_value_minor bigint;
--> statement-breakpoint
alter table loan_applications add constraint loan_applications_pledge_kind check (pledge_kind is null or pledge_kind in ('static','dynamic'));
--> statement-breakpoint
alter table loan_applications add constraint loan_applications_min_controlled check (min_controlled_value_minor is null or min_controlled_value_minor > 0);
--> statement-breakpoint
alter table inventory_pledges add column application_id uuid;
--> statement-breakpoint
alter table inventory_pledges add column kind text not null default 'static';
--> statement-breakpoint
alter table inventory_pledges add column currency text;
--> statement-breakpoint
alter table inventory_pledges add column min_controlled_value_minor bigint;
--> statement-breakpoint
alter table inventory_pledges add column value_minor bigint;
--> statement-breakpoint
alter table inventory_pledges add constraint inventory_pledges_kind check (kind in ('static','dynamic'));
--> statement-breakpoint
alter table inventory_pledges add constraint inventory_pledges_dynamic check (kind = 'static' or (min_controlled_value_minor > 0 and currency is not null));
--> statement-breakpoint
create index inventory_pledges_application_idx on inventory_pledges (application_id, status) where application_id is not null;
