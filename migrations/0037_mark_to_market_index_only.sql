-- 逐日盯市 reads every pledged lot of a receipt each end-of-day: its SKU, quantity and warehouse organisation. With
-- them in the receipt index the read is index-only (bench:inventory: 1,000,000 lots, five per receipt, scattered over
-- the heap) instead of a heap page per lot. It replaces the plain receipt index, whose key it keeps.
create index inventory_lots_receipt_valued_idx on inventory_lots (receipt_id) include (sku_id, quantity_minor, warehouse_org_id)
  where receipt_id is not null;
--> statement-breakpoint
drop index inventory_lots_receipt_idx;
