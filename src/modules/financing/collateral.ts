/**
 * Collateral that another module keeps, pledged by an application under a mode of its own — today 保单融资 (the
 * insurance_policy mode: the borrower's policies in force, kept by insurance). Financing cannot import that module
 * (it builds on financing), so the module registers its pledger here from its index.ts, once per mode; an
 * application of the mode names the collateral in `policyIds`, pledges it on submission (`pledge`, in the
 * submission's transaction: a refusal writes nothing), lends at most the product's pledge rate of the value the
 * pledger answers, and releases it where every pledge ends (`releasePledge`: the facility closed and its loans
 * repaid, or the application cancelled, rejected or returned). The application page shows what `describe` answers.
 */
import type { Ctx } from '../../kernel/context';
import type { FinancingMode } from '../products';

export interface CollateralPledgeInput {
  applicationId: string;
  borrowerOrgId: string;
  funderOrgId: string;
  currency: string;
  ids: readonly string[];
}

/** A pledged item as the application page shows it. */
export interface CollateralPledgeView {
  id: string;
  /** the pledged record's id (the policy) */
  collateralId: string;
  /** its number (the policy's) */
  collateralNo: string;
  /** who keeps it (the insurer) */
  issuerName: string | null;
  /** what it was worth for the loan when pledged (the policy's cover left) */
  value: string;
  status: 'pledged' | 'released';
  pledgedOn: string;
  releasedOn: string | null;
}

export interface CollateralPledger {
  /** Pledges the items to the application's funder; answers what they are worth for the loan (minor units). */
  pledge(ctx: Ctx, input: CollateralPledgeInput): Promise<{ valueMinor: bigint }>;
  /** Ends the application's live pledges (safe to call again). */
  release(ctx: Ctx, applicationId: string): Promise<void>;
  describe(ctx: Ctx, applicationId: string): Promise<CollateralPledgeView[]>;
}

const pledgers = new Map<FinancingMode, CollateralPledger>();

/** One pledger per mode, registered from the owning module's index.ts. */
export function registerCollateralPledger(mode: FinancingMode, pledger: CollateralPledger): void {
  if (pledgers.has(mode)) throw new Error(`a collateral pledger is already registered for ${mode}`);
  pledgers.set(mode, pledger);
}

export function collateralPledgerOf(mode: FinancingMode | undefined): CollateralPledger | undefined {
  return mode ? pledgers.get(mode) : undefined;
}

/** The pledgers of every mode (an application's page and its release do not need its mode). */
export function collateralPledgers(): CollateralPledger[] {
  return [...pledgers.values()];
}
