/** HTTP routes of 保兑仓 under /api/v1/confirming: networks and dealers, agreements, bills, buybacks, interfaces. */
import type { App } from '../../kernel/http';
import { networkRoutes } from './network-routes';
import { billRoutes } from './bill-routes';

export async function confirmingRoutes(app: App): Promise<void> {
  await networkRoutes(app);
  await billRoutes(app);
}
