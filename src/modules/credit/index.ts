/** Credit lines (授信 / 额度): grant, allocate, occupy, use, release, freeze, clear, restore, expire. */
import { addDays } from '../../kernel/dates';
import { registerAlertSource, registerEodStep, registerSearchProvider, registerWorkbenchCards } from '../../kernel/registry';
import { searchCreditLines } from './search';
import { creditCards, creditLineAlerts } from './workbench';
import { expireLines } from './changes';

export { creditRoutes } from './routes';
export { submitChange, approveChange, rejectChange, activateLine, expireLines, listChanges, applyApprovedChange } from './changes';
export type { SubmitChangeInput } from './validators';
export { occupy, useOccupation, releaseOccupation, restoreOnRepayment, getOccupation } from './occupations';
export { listLines, getLine, visibleLine, networkUtilisation, countLines, applicableLine } from './lines';
export { FINANCING_PRODUCTS } from './validators';

// end-of-day: lines past their validity on the next business date expire (each in its own transaction; idempotent)
registerEodStep({
  name: 'credit-expiry',
  order: 600,
  run: async ({ ctx, date }) => {
    await expireLines(ctx, addDays(date, 1));
  },
});
registerSearchProvider({ kind: 'credit_line', search: searchCreditLines });

// 工作台: a funder's lines near full or expiring, a holder's available credit per funder, a core's network; 预警: the funder's watched lines
registerWorkbenchCards({ module: 'credit', orgTypes: 'all', cards: creditCards });
registerAlertSource({ name: 'credit_line_watch', list: creditLineAlerts });
