/**
 * A partner's code for one product sold in one of its markets (SocGen's solution code `CIFRWE`). The
 * market sets the currency and language, so a request naming the solution names them too.
 */
export interface Solution {
  partnerId: string;
  code: string;
  productCode: string;
  country: string;
  createdAt: Date;
}
