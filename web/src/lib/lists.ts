/** What the list pages share: which screens get cards instead of tables, and which party column is always "us". */
import { Grid } from 'antd';
import type { Me } from './types';

/**
 * Phones (below antd's `md`, 768 px) get one card per row instead of a table: a table's columns do not fit
 * and a horizontal scroll hides the status and amount people look for.
 */
export function useNarrow(): boolean {
  return !Grid.useBreakpoint().md;
}

/**
 * The side of every loan and application the signed-in organisation is on, when it is always the same one: a
 * bank or factor is the funder of every row it sees, a supplier or dealer the borrower. Its lists drop that
 * column (it would repeat the organisation's own name). A core enterprise also sees its network's rows, so
 * neither column is always itself; a guarantor or service provider is neither.
 */
export function ownSide(me: Me): 'funder' | 'borrower' | null {
  const type = me.organization.type;
  if (type === 'bank' || type === 'factor') return 'funder';
  if (type === 'supplier' || type === 'dealer') return 'borrower';
  return null;
}
