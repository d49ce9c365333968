/**
 * Financial ratios from a balance sheet and income statement (seed 001: collect statements, analyse them,
 * rate and grant credit). Pure decimal maths; a ratio with a zero or negative denominator is null ("n/a").
 */
import { Decimal } from 'decimal.js';

export interface StatementLines {
  cashMinor: bigint;
  receivablesMinor: bigint;
  inventoryMinor: bigint;
  currentAssetsMinor: bigint;
  totalAssetsMinor: bigint;
  currentLiabilitiesMinor: bigint;
  totalLiabilitiesMinor: bigint;
  equityMinor: bigint;
  revenueMinor: bigint;
  costOfSalesMinor: bigint;
  netProfitMinor: bigint;
  operatingCashFlowMinor: bigint;
  /** 利息费用 and 所得税: null when the statement was entered without them (no interest cover then). */
  interestExpenseMinor?: bigint | null;
  incomeTaxMinor?: bigint | null;
}

export interface Ratios {
  /** 流动比率 current assets / current liabilities */
  currentRatio: string | null;
  /** 速动比率 (current assets − inventory) / current liabilities */
  quickRatio: string | null;
  /** 资产负债率 total liabilities / total assets */
  debtToAsset: string | null;
  /** 净资产收益率 net profit / equity */
  roe: string | null;
  /** 总资产收益率 net profit / total assets */
  roa: string | null;
  /** 毛利率 (revenue − cost of sales) / revenue */
  grossMargin: string | null;
  /** 净利率 net profit / revenue */
  netMargin: string | null;
  /** 营业收入增长率 revenue / previous revenue − 1 (same period type) */
  revenueGrowth: string | null;
  /** 应收账款周转率 revenue / receivables */
  receivablesTurnover: string | null;
  /** 存货周转率 cost of sales / inventory */
  inventoryTurnover: string | null;
  /** 经营现金流 / 流动负债 */
  operatingCashFlowToCurrentLiabilities: string | null;
  /** 利息保障倍数 EBIT / interest expense, EBIT = net profit + income tax + interest expense */
  interestCover: string | null;
}

const RATIO_DECIMALS = 4;

function ratio(numerator: bigint, denominator: bigint): string | null {
  if (denominator <= 0n) return null;
  return new Decimal(numerator.toString())
    .dividedBy(new Decimal(denominator.toString()))
    .toDecimalPlaces(RATIO_DECIMALS, Decimal.ROUND_HALF_UP)
    .toFixed(RATIO_DECIMALS);
}

export function computeRatios(current: StatementLines, previous?: Pick<StatementLines, 'revenueMinor'>): Ratios {
  return {
    currentRatio: ratio(current.currentAssetsMinor, current.currentLiabilitiesMinor),
    quickRatio: ratio(current.currentAssetsMinor - current.inventoryMinor, current.currentLiabilitiesMinor),
    debtToAsset: ratio(current.totalLiabilitiesMinor, current.totalAssetsMinor),
    roe: ratio(current.netProfitMinor, current.equityMinor),
    roa: ratio(current.netProfitMinor, current.totalAssetsMinor),
    grossMargin: ratio(current.revenueMinor - current.costOfSalesMinor, current.revenueMinor),
    netMargin: ratio(current.netProfitMinor, current.revenueMinor),
    revenueGrowth: previous ? growth(current.revenueMinor, previous.revenueMinor) : null,
    receivablesTurnover: ratio(current.revenueMinor, current.receivablesMinor),
    inventoryTurnover: ratio(current.costOfSalesMinor, current.inventoryMinor),
    operatingCashFlowToCurrentLiabilities: ratio(current.operatingCashFlowMinor, current.currentLiabilitiesMinor),
    interestCover: interestCover(current),
  };
}

function growth(current: bigint, previous: bigint): string | null {
  const r = ratio(current, previous);
  return r === null ? null : new Decimal(r).minus(1).toFixed(RATIO_DECIMALS);
}

function interestCover(lines: StatementLines): string | null {
  const interest = lines.interestExpenseMinor;
  if (interest === null || interest === undefined) return null;
  return ratio(lines.netProfitMinor + (lines.incomeTaxMinor ?? 0n) + interest, interest);
}
