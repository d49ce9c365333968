/** The product factory (产品工厂): financing products with versioned, validated terms. */
export { productRoutes } from './routes';
export { createProduct, publishVersion, publishedTerms, visibleTerms, termsOf, listProducts, productInfo, productNamesOf } from './service';
export {
  termsSchema,
  GOODS_MODES,
  pledgeRateOf,
  goodsPledgeTerms,
  FINANCING_MODES,
  REPAYMENT_METHODS,
  DAY_COUNTS,
  BUCKETS,
  TIERS,
  type ProductTerms,
  type RepaymentMethod,
  type DayCount,
  type Bucket,
  type Tier,
  type FinancingMode,
  type Fee,
} from './terms';
