/** Credit lines (授信 / 额度): grant, allocate, occupy, use, release, freeze, clear, restore, expire. */
export { creditRoutes } from './routes';
export { submitChange, approveChange, rejectChange, activateLine, expireLines, listChanges } from './changes';
export { occupy, useOccupation, releaseOccupation, restoreOnRepayment, getOccupation } from './occupations';
export { listLines, getLine, visibleLine, networkUtilisation, countLines, applicableLine } from './lines';
export { FINANCING_PRODUCTS } from './validators';
