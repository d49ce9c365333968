/**
 * A receivable's page (GET /api/v1/receivables/:id): its facts — the parties, the amounts, the due date and the trade
 * document behind it —, its status with the debtor's confirmation (确权) or rejection, what it is committed to (a
 * factoring deal, a loan's pledge, a certificate) and the factoring deals on it the caller is party to. Scoped as every
 * read of a receivable is (receivableScope): another party's receivable answers 404.
 */
import { eq } from 'drizzle-orm';
import type { Ctx } from '../../kernel/context';
import { formatAmount, type Currency } from '../../kernel/money';
import { dealsOnReceivable } from './factoring';
import { tradeDocuments } from './schema';
import { getReceivable } from './service';

export async function receivableDetail(ctx: Ctx, id: string) {
  const receivable = await getReceivable(ctx, id);
  const [doc] = await ctx.db.select().from(tradeDocuments).where(eq(tradeDocuments.id, receivable.documentId));
  return {
    ...receivable,
    document: doc
      ? {
          id: doc.id,
          kind: doc.kind,
          docNo: doc.docNo,
          issueDate: doc.issueDate,
          dueDate: doc.dueDate,
          /** As issued: the debtor may have confirmed a lower amount. */
          amount: formatAmount(doc.amountMinor, doc.currency as Currency),
          description: doc.description,
          source: doc.source,
        }
      : null,
    factoring: await dealsOnReceivable(ctx, id),
  };
}
