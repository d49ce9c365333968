/**
 * Helpers for the inventory tests: a catalogue of fresh codes (so a test never collides with the demo's), a
 * warehouse of 东方仓储, goods announced by an owner and checked in by the warehouse, a receipt issued over them.
 * Quantities are decimal strings on the wire and bigint minor units here — never floats.
 */
import { expect } from 'vitest';
import { randomToken } from '../../src/kernel/ids';
import type { Client } from './app';

export const fresh = (prefix: string) => `${prefix}-${randomToken(6).replace(/[^A-Za-z0-9]/g, 'x')}`;

export interface Catalogue {
  steelCoilSkuId: string;
  excavatorSkuId: string;
}

/** 钢材 › 板材 › 热轧卷板 (吨, 3 decimals) and 工程机械 › 挖掘机 › 履带式挖掘机 (台, serial-tracked), fresh codes. */
export async function catalogue(operator: Client): Promise<Catalogue> {
  const cat = async (name: string, parentId?: string, extra: Record<string, string> = {}) => {
    const res = await operator.post('/api/v1/inventory/categories', {
      code: fresh('C'),
      name,
      ...(parentId ? { parentId } : {}),
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const steel = await cat('钢材', undefined, { pledgeRatio: '0.7', haircut: '0.1' });
  const plate = await cat('板材', steel);
  const coil = await cat('热轧卷板', plate);
  const machines = await cat('工程机械', undefined, { pledgeRatio: '0.6' });
  const excavators = await cat('挖掘机', machines);
  const crawler = await cat('履带式挖掘机', excavators);
  const sku = async (body: Record<string, unknown>) => {
    const res = await operator.post('/api/v1/inventory/skus', { code: fresh('S'), ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  return {
    steelCoilSkuId: await sku({
      categoryId: coil,
      name: '热轧卷板',
      spec: '4.75×1500×C',
      material: 'Q235B',
      origin: '上海宝山',
      unit: '吨',
      quantityScale: 3,
    }),
    excavatorSkuId: await sku({
      categoryId: crawler,
      name: '履带式挖掘机',
      model: 'HD-220',
      unit: '台',
      quantityScale: 0,
      serialTracked: true,
      unitWeightKg: '22000',
    }),
  };
}

/** A warehouse of the caller's organisation (東方仓储 for the `warehouse` user) with two locations. */
export async function warehouse(warehouseUser: Client): Promise<{ id: string; locationIds: string[] }> {
  const res = await warehouseUser.post('/api/v1/inventory/warehouses', {
    code: fresh('W'),
    name: '东方仓储 测试库',
    address: '上海市宝山区测试路 1 号',
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const locationIds: string[] = [];
  for (const code of ['A-01', 'A-02']) {
    const loc = await warehouseUser.post(`/api/v1/inventory/warehouses/${id}/locations`, { code, name: `库位 ${code}` });
    expect(loc.statusCode, loc.body).toBe(201);
    locationIds.push((loc.json().locations as { id: string; code: string }[]).find((l) => l.code === code)!.id);
  }
  return { id, locationIds };
}

/** The owner announces, the warehouse checks in (counted = announced unless given): the lot's id. */
export async function lotInStore(
  owner: Client,
  warehouseUser: Client,
  body: { skuId: string; warehouseId: string; quantity: string; serials?: string[] },
  counted?: string,
): Promise<string> {
  const announced = await owner.post('/api/v1/inventory/lots', body);
  expect(announced.statusCode, announced.body).toBe(201);
  const id = announced.json().id as string;
  const checked = await warehouseUser.post(`/api/v1/inventory/lots/${id}/check-in`, {
    quantity: counted ?? body.quantity,
    ...(body.serials ? { serials: body.serials } : {}),
  });
  expect(checked.statusCode, checked.body).toBe(200);
  return id;
}

/** A receipt drafted and issued by the warehouse over the lots: its id. */
export async function issuedReceipt(warehouseUser: Client, lotIds: string[]): Promise<string> {
  const draft = await warehouseUser.post('/api/v1/inventory/receipts', {
    lotIds,
    quality: '符合 GB/T 3274-2017',
    packaging: '钢带捆扎',
    lossAllowance: '0.3%',
    storageTermTo: '2099-12-31',
    storageFee: '每吨每日 0.50 元',
  });
  expect(draft.statusCode, draft.body).toBe(201);
  const id = draft.json().id as string;
  const issued = await warehouseUser.post(`/api/v1/inventory/receipts/${id}/issue`);
  expect(issued.statusCode, issued.body).toBe(200);
  return id;
}

/** The owner's delivery order (提货单) for a quantity, or the units, of its lot (the whole lot if neither): its id. */
export async function deliveryOrder(
  owner: Client,
  lotId: string,
  body: { quantity?: string; serials?: string[]; pickup?: string } = {},
): Promise<string> {
  const res = await owner.post('/api/v1/inventory/delivery-orders', { lotId, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** 出库 of an owner's free goods as issue 14 wants it: the owner orders that quantity, the warehouse checks it out against the order. */
export async function orderedCheckOut(
  owner: Client,
  warehouseUser: Client,
  lotId: string,
  body: { quantity?: string; serials?: string[]; reference?: string } = {},
  headers?: Record<string, string>,
) {
  const { quantity, serials } = body;
  const deliveryOrderId = await deliveryOrder(owner, lotId, {
    ...(quantity === undefined ? {} : { quantity }),
    ...(serials ? { serials } : {}),
  });
  return warehouseUser.post(`/api/v1/inventory/lots/${lotId}/check-out`, { ...body, deliveryOrderId }, headers);
}
