import type { Product } from '../core/catalog/product.js';
import type { Market } from '../core/partners/partner.js';

/**
 * The demo catalog: one product for each integration guide in shared/seeds, priced so the guides'
 * own examples come out as printed (Sitoo's 39.90 and 59.90 for a 1299.00 phone, Hakuna's 12.00 EUR
 * plan for an iPhone 14).
 */
const SEK = (major: number) => Math.round(major * 100);
const everyone = {
  name: 'required',
  personalId: 'not_collected',
  address: 'optional',
  phone: 'optional',
  email: 'required',
  comment: 'not_collected',
} as const;

export const DEMO_PRODUCTS: Product[] = [
  {
    // Omocom web shop guide: "Refurbished Electronics Insurance" for a tablet bought at Electroshop.
    code: 'refurbished-electronics',
    name: { en: 'Refurbished Electronics Insurance', sv: 'Försäkring för begagnad elektronik' },
    coverage: 'damage_and_theft',
    terms: [12],
    renewable: false,
    coverStart: 'at_binding',
    categories: ['Tablet', 'Smartphone', 'Laptop', 'Headphones', 'Camera', 'Smartwatch'],
    markets: [
      {
        country: 'SE',
        currency: 'SEK',
        itemPrice: { min: SEK(500), max: SEK(50_000) },
        rates: {
          '12': {
            type: 'bands',
            bands: [
              { upTo: SEK(2_000), premium: SEK(199) },
              { upTo: SEK(5_000), premium: SEK(399) },
              { upTo: SEK(10_000), premium: SEK(699) },
              { upTo: SEK(20_000), premium: SEK(1_199) },
              { upTo: SEK(50_000), premium: SEK(1_999) },
            ],
          },
        },
        taxes: [],
      },
    ],
    policyholderFields: { ...everyone, personalId: 'required' },
    cancellation: { coolingOffDays: 14, afterCoolingOff: 'pro_rata', afterPaidClaim: 'none' },
    rounding: 'half_even',
    coverLimit: { SEK: SEK(50_000) },
    documents: {
      termsUrl: 'https://protego.dev/docs/refurbished-electronics/terms.pdf',
      ipidUrl: 'https://protego.dev/docs/refurbished-electronics/ipid.pdf',
    },
  },
  {
    // Sitoo POS guide: "Tech Insurance" sold at the register as "12 Months" and "24 Months".
    code: 'tech-insurance',
    name: { en: 'Tech Insurance', sv: 'Teknikförsäkring' },
    coverage: 'accidental_damage',
    terms: [12, 24],
    renewable: false,
    coverStart: 'at_binding',
    categories: [],
    markets: [
      {
        country: 'SE',
        currency: 'SEK',
        itemPrice: { min: SEK(200), max: SEK(40_000) },
        rates: {
          '12': {
            type: 'bands',
            bands: [
              { upTo: SEK(3_000), premium: SEK(199) },
              { upTo: SEK(10_000), premium: SEK(499) },
              { upTo: SEK(40_000), premium: SEK(999) },
            ],
          },
          '24': {
            type: 'bands',
            bands: [
              { upTo: SEK(3_000), premium: SEK(299) },
              { upTo: SEK(10_000), premium: SEK(799) },
              { upTo: SEK(40_000), premium: SEK(1_599) },
            ],
          },
        },
        taxes: [{ name: 'Regular VAT', rateBp: 2500, mode: 'included' }],
      },
      {
        country: 'US',
        currency: 'USD',
        itemPrice: { min: 2_000, max: 400_000 },
        rates: {
          '12': {
            type: 'bands',
            bands: [
              { upTo: 50_000, premium: 1_990 },
              { upTo: 200_000, premium: 3_990 },
              { upTo: 400_000, premium: 7_990 },
            ],
          },
          '24': {
            type: 'bands',
            bands: [
              { upTo: 50_000, premium: 2_990 },
              { upTo: 200_000, premium: 5_990 },
              { upTo: 400_000, premium: 11_990 },
            ],
          },
        },
        taxes: [{ name: 'Regular VAT', rateBp: 2500, mode: 'included' }],
      },
    ],
    policyholderFields: {
      name: 'required',
      personalId: 'required',
      address: 'required',
      phone: 'not_collected',
      email: 'not_collected',
      comment: 'optional',
    },
    cancellation: { coolingOffDays: 30, afterCoolingOff: 'pro_rata', afterPaidClaim: 'none' },
    rounding: 'half_even',
    coverLimit: { SEK: SEK(40_000), USD: 400_000 },
    documents: { termsUrl: 'https://protego.dev/docs/tech-insurance/terms.pdf' },
  },
  {
    // Hakuna ERP + e-commerce guide: a one-year warranty extension for smartphones, cover from shipping.
    code: 'garantie-1j',
    name: { de: '1 Jahr Garantieerweiterung', en: '1-year warranty extension' },
    coverage: 'extended_warranty',
    terms: [12],
    renewable: false,
    coverStart: 'at_fulfilment',
    categories: ['smartphones', 'tablets'],
    markets: [
      {
        country: 'DE',
        currency: 'EUR',
        itemPrice: { min: 5_000, max: 300_000 },
        rates: {
          '12': {
            type: 'bands',
            bands: [
              { upTo: 50_000, premium: 900 },
              { upTo: 150_000, premium: 1_200 },
              { upTo: 300_000, premium: 2_400 },
            ],
          },
        },
        taxes: [{ name: 'Versicherungsteuer', rateBp: 1900, mode: 'included' }],
      },
    ],
    policyholderFields: everyone,
    cancellation: { coolingOffDays: 14, afterCoolingOff: 'pro_rata', afterPaidClaim: 'none' },
    rounding: 'half_even',
    coverLimit: { EUR: 300_000 },
    documents: {
      termsUrl: 'https://protego.dev/docs/garantie-1j/terms.pdf',
      ipidUrl: 'https://protego.dev/docs/garantie-1j/ipid.pdf',
    },
    display: {
      DE: {
        de: {
          title: '1 Jahr Garantieerweiterung',
          description: 'Reparatur oder Ersatz bei technischen Defekten nach Ablauf der Herstellergarantie.',
          detailsUrl: 'https://protego.dev/docs/garantie-1j/',
        },
        en: {
          title: '1-year warranty extension',
          description: "Repair or replacement of technical faults once the maker's warranty has ended.",
          detailsUrl: 'https://protego.dev/docs/garantie-1j/',
        },
      },
    },
  },
  {
    // SocGen BaaS guide: solution CIFRWE, a two-year warranty extension sold in France.
    code: 'CIFRWE',
    name: { fr: 'Extension de garantie 2 ans', en: 'Two-year warranty extension' },
    coverage: 'extended_warranty',
    terms: [24],
    renewable: false,
    coverStart: 'at_binding',
    categories: [],
    markets: [
      {
        country: 'FR',
        currency: 'EUR',
        itemPrice: { min: 3_000, max: 500_000 },
        rates: { '24': { type: 'percentage', rateBp: 800, min: 1_500, max: 30_000 } },
        taxes: [{ name: "Taxe sur les conventions d'assurance", rateBp: 900, mode: 'included' }],
      },
    ],
    policyholderFields: { ...everyone, address: 'required', phone: 'required' },
    cancellation: { coolingOffDays: 14, afterCoolingOff: 'pro_rata', afterPaidClaim: 'none' },
    rounding: 'half_even',
    coverLimit: { EUR: 500_000 },
    documents: { termsUrl: 'https://protego.dev/docs/cifrwe/conditions-generales.pdf' },
    display: {
      FR: {
        fr: {
          title: 'Extension de garantie 2 ans',
          description: 'Réparation ou remplacement de votre appareil en cas de panne pendant deux ans.',
          iconUrl: 'https://protego.dev/assets/cifrwe/icon.png',
          conditionsUrl: 'https://protego.dev/docs/cifrwe/conditions-generales.pdf',
          noticeUrl: 'https://protego.dev/docs/cifrwe/notice-information.pdf',
        },
      },
    },
  },
  {
    // XCover retail guide: product protection in the UK and the US, one to three years, renewable.
    code: 'product-protection',
    name: { en: 'Product Protection Plan' },
    coverage: 'accidental_damage',
    terms: [12, 24, 36],
    renewable: true,
    coverStart: 'at_binding',
    categories: [],
    markets: [
      {
        country: 'GB',
        currency: 'GBP',
        itemPrice: { min: 2_000, max: 500_000 },
        rates: {
          '12': { type: 'percentage', rateBp: 1_000, min: 499, max: 29_900 },
          '24': { type: 'percentage', rateBp: 1_600, min: 799, max: 44_900 },
          '36': { type: 'percentage', rateBp: 2_100, min: 999, max: 59_900 },
        },
        taxes: [{ name: 'Insurance Premium Tax', rateBp: 1_200, mode: 'included' }],
      },
      {
        country: 'US',
        currency: 'USD',
        itemPrice: { min: 2_000, max: 500_000 },
        rates: {
          '12': { type: 'percentage', rateBp: 1_000, min: 599, max: 34_900 },
          '24': { type: 'percentage', rateBp: 1_600, min: 899, max: 49_900 },
          '36': { type: 'percentage', rateBp: 2_100, min: 1_199, max: 64_900 },
        },
        taxes: [],
      },
    ],
    policyholderFields: everyone,
    cancellation: { coolingOffDays: 30, afterCoolingOff: 'pro_rata', afterPaidClaim: 'none' },
    rounding: 'half_even',
    coverLimit: { GBP: 500_000, USD: 500_000 },
    documents: {
      termsUrl: 'https://protego.dev/docs/product-protection/terms.pdf',
      ipidUrl: 'https://protego.dev/docs/product-protection/ipid.pdf',
    },
    instalmentPlans: [
      { name: 'monthly', label: 'Monthly', periodMonths: 1 },
      { name: 'quarterly', label: 'Quarterly', periodMonths: 3 },
    ],
    instalmentsLapseAfterDays: 14,
  },
];

export const DEMO_PARTNER = {
  code: 'electroshop',
  name: 'Electroshop',
  markets: [
    { country: 'SE', currency: 'SEK', language: 'sv' },
    { country: 'DE', currency: 'EUR', language: 'de' },
    { country: 'FR', currency: 'EUR', language: 'fr' },
    { country: 'GB', currency: 'GBP', language: 'en' },
    { country: 'US', currency: 'USD', language: 'en' },
  ] satisfies Market[],
  /** The counterpart handle printed in the Omocom guide, so its sample flow runs as printed. */
  counterpartHandle: '66006782-1921-4AE9-9E21-698BA45C99C9',
  commissionBp: 2_000,
};

/**
 * Well-known test-mode credentials of the demo partner, printed at start and used by the README's
 * walk-through. They reach test data only; a real partner's secrets are random and shown once.
 */
export const DEMO_CREDENTIALS = {
  mode: 'test' as const,
  api_key: 'sk_test_electroshop_demo_key',
  oauth: { client_id: 'cli_test_electroshop', client_secret: 'electroshop-demo-client-secret' },
  hmac: { key_id: 'hk_test_electroshop', secret: 'electroshop-demo-hmac-secret' },
};

/**
 * The demo partner's publishable key, which the demo shop's offer widget uses: from a shop run on the
 * loopback host, on any port. A real partner's keys list the shop's own https origins.
 */
export const DEMO_PUBLISHABLE_KEY = {
  mode: 'test' as const,
  key: 'pk_test_electroshop_demo',
  allowedOrigins: ['http://localhost:*', 'http://127.0.0.1:*'],
};

/** The demo partner's stores, as Sitoo POS names them in `Store-ID`: the Sitoo guide's example runs at "store-1". */
export const DEMO_STORES = [
  { external_id: 'store-1', country: 'US', currency: 'USD' },
  { external_id: 'store-se', country: 'SE', currency: 'SEK' },
];

/** The demo partner's SocGen solution codes: the guide's `CIFRWE`, the two-year warranty extension in France. */
export const DEMO_SOLUTIONS = [{ code: 'CIFRWE', product_code: 'CIFRWE', country: 'FR' }];
/** Hakuna requests name a currency, not a country: the demo partner answers EUR from Germany (not France). */
export const DEMO_CURRENCY_MARKETS = [{ currency: 'EUR', country: 'DE' }];

/** The Hakuna guide's shop sells the one-year warranty extension as its item `pl-prd-hakuna`. */
export const DEMO_MERCHANT_PLANS = [
  { merchantProductId: 'pl-prd-hakuna', productCode: 'garantie-1j', termMonths: 12 },
];
