/**
 * The inventory actions under dual control (workflow's `registerDualControl`): 价格调整 — a price that moves the value
 * of pledged goods — needs a checker of the same organisation at any price unless the organisation set a threshold
 * (prices.ts asks). The approval enters the price as its maker, every check again (overlapping windows included).
 */
import { isPendingApproval, registerDualControl } from '../workflow';
import { createPrice, type PriceInput } from './prices';

registerDualControl({
  key: 'inventory.price_adjust',
  name: { zh: '价格调整（影响质押物估值）', en: 'Price adjustment of pledged goods' },
  byDefault: 'every_amount',
  async execute(ctx, request) {
    const price = await createPrice(ctx, request.payload as unknown as PriceInput, 'approved');
    if (isPendingApproval(price)) throw new Error('an approved price adjustment asked for a checker again');
    return { priceId: price.id, skuId: price.skuId };
  },
  link: () => '/inventory?tab=catalogue',
});
