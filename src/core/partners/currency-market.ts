/** Which of a partner's markets answers a request that names a currency and no country. */
export interface CurrencyMarket {
  currency: string;
  country: string;
  updatedAt: Date;
}
