import { describe, expect, it } from 'vitest';
import { displayContent } from '../../src/core/catalog/display.js';
import { type Product, validateProduct } from '../../src/core/catalog/product.js';
import { DEMO_PRODUCTS } from '../../src/demo/catalog.js';
import { fieldsOf } from './fixtures.js';

const demo = (code: string): Product => structuredClone(DEMO_PRODUCTS.find((p) => p.code === code)!);

describe('displayContent', () => {
  it('shows the configured content of the market in the asked language', () => {
    const content = displayContent(demo('garantie-1j'), 'de', 'en');
    expect(content).toEqual({
      title: '1-year warranty extension',
      description: "Repair or replacement of technical faults once the maker's warranty has ended.",
      detailsUrl: 'https://protego.dev/docs/garantie-1j/',
      termsUrl: 'https://protego.dev/docs/garantie-1j/terms.pdf',
      noticeUrl: 'https://protego.dev/docs/garantie-1j/ipid.pdf',
    });
  });

  it('falls back to English, then to the market first language', () => {
    expect(displayContent(demo('garantie-1j'), 'DE', 'sv').title).toBe('1-year warranty extension');
    expect(displayContent(demo('CIFRWE'), 'FR', 'en').title).toBe('Extension de garantie 2 ans');
  });

  it('configured links win over the documents', () => {
    const content = displayContent(demo('CIFRWE'), 'FR', 'fr');
    expect(content.noticeUrl).toBe('https://protego.dev/docs/cifrwe/notice-information.pdf');
    expect(content.termsUrl).toBe('https://protego.dev/docs/cifrwe/conditions-generales.pdf');
    expect(content.iconUrl).toBe('https://protego.dev/assets/cifrwe/icon.png');
  });

  it('without content, a product is shown by its name and documents', () => {
    expect(displayContent(demo('tech-insurance'), 'SE', 'sv')).toEqual({
      title: 'Teknikförsäkring',
      termsUrl: 'https://protego.dev/docs/tech-insurance/terms.pdf',
    });
  });
});

describe('validateProduct: display content', () => {
  it('refuses content for a market the product does not sell in, a bad language and an empty title', () => {
    const p = demo('garantie-1j');
    p.display = { ...p.display, FR: { fr: { title: 'x' } }, DE: { deu: { title: 'x' }, en: { title: ' ' } } };
    expect(fieldsOf(() => validateProduct(p))).toEqual([
      'display/DE/deu',
      'display/DE/en/title',
      'display/FR',
    ]);
  });
});
