/**
 * 保兑仓 (confirming storage, seed 002): a core manufacturer's network at a bank and the dealers it recommends
 * (networks.ts, dealers.ts), the agreements the parties sign (agreements.ts), bank acceptance bills drawn by dealers to
 * pay the manufacturer for goods that go to a warehouse under the bank's pledge, margin-proportional delivery of those
 * goods and the manufacturer's buyback at maturity (bills.ts, deliveries.ts, maturity.ts), and the interfaces the
 * bank's own systems read (interfaces.ts). Built on inventory (goods, lots, pledges, delivery orders, marking to
 * market), the ledger (margin, fees, payments), credit lines (the network's and the dealers' limits) and workflow.
 */
export { confirmingRoutes } from './routes';
