// <protego-offer>: Protego's offer widget. A shop puts it on a product page or in its cart:
//
//   <script src="https://insurer.example/widget.js" defer></script>
//   <protego-offer publishable-key="pk_live_…" price="850000" currency="SEK" category="Tablet"
//                  country="SE" language="sv" item-name="iPad Air"></protego-offer>
//
// `price` is in minor units (öre, cents), as everywhere in Protego. The element asks Protego for the
// offer, shows each plan with its price and terms as a radio group, and emits `protego-offer-select`
// (bubbling) with the chosen plan in `detail` ({offerId, optionId, …}, or null for "no protection")
// for the shop to add to its cart.
(() => {
  const script = document.currentScript;
  const API = script ? new URL(script.src).origin : window.location.origin;

  const WORDS = {
    en: {
      legend: 'Protect your purchase',
      none: 'No protection',
      terms: 'Terms',
      months: (n) => `${n} months`,
      loading: 'Loading protection plans…',
      failed: 'Protection plans are not available right now.',
      empty: 'No protection plan covers this item.',
    },
    sv: {
      legend: 'Skydda ditt köp',
      none: 'Inget skydd',
      terms: 'Villkor',
      months: (n) => `${n} månader`,
      loading: 'Hämtar försäkringar…',
      failed: 'Försäkringarna kan inte visas just nu.',
      empty: 'Ingen försäkring täcker den här varan.',
    },
    de: {
      legend: 'Schützen Sie Ihren Kauf',
      none: 'Kein Schutz',
      terms: 'Bedingungen',
      months: (n) => `${n} Monate`,
      loading: 'Schutzpläne werden geladen…',
      failed: 'Schutzpläne sind gerade nicht verfügbar.',
      empty: 'Kein Schutzplan deckt diesen Artikel.',
    },
    fr: {
      legend: 'Protégez votre achat',
      none: 'Sans protection',
      terms: 'Conditions',
      months: (n) => `${n} mois`,
      loading: 'Chargement des garanties…',
      failed: 'Les garanties ne sont pas disponibles pour le moment.',
      empty: 'Aucune garantie ne couvre cet article.',
    },
  };

  let instances = 0;

  class ProtegoOffer extends HTMLElement {
    static observedAttributes = [
      'publishable-key',
      'price',
      'currency',
      'category',
      'country',
      'language',
      'item-name',
    ];

    constructor() {
      super();
      instances += 1;
      this.uid = `protego-offer-${instances}`;
      this.pending = undefined;
    }

    connectedCallback() {
      this.schedule();
    }

    attributeChangedCallback() {
      if (this.isConnected) this.schedule();
    }

    // Several attributes set in a row load the offer once.
    schedule() {
      clearTimeout(this.pending);
      this.pending = setTimeout(() => this.load(), 0);
    }

    get words() {
      return (
        WORDS[(this.getAttribute('language') || document.documentElement.lang || 'en').slice(0, 2)] ||
        WORDS.en
      );
    }

    async load() {
      const key = this.getAttribute('publishable-key');
      const amount = Number(this.getAttribute('price'));
      const currency = (this.getAttribute('currency') || '').toUpperCase();
      const country = (this.getAttribute('country') || '').toUpperCase();
      const category = this.getAttribute('category');
      if (!key || !Number.isInteger(amount) || !currency || !country || !category) return;
      this.status(this.words.loading);
      const language = this.getAttribute('language');
      const name = this.getAttribute('item-name');
      const item = {
        ref: 'item',
        quantity: 1,
        category,
        price: { amount, currency },
        ...(name ? { name } : {}),
      };
      try {
        const res = await fetch(`${API}/v1/widget/${encodeURIComponent(key)}/offers`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ country, ...(language ? { language } : {}), items: [item] }),
        });
        if (!res.ok) throw new Error(`offer refused: ${res.status}`);
        this.render(await res.json());
      } catch (error) {
        this.status(this.words.failed);
        this.dispatchEvent(
          new CustomEvent('protego-offer-error', { bubbles: true, detail: { message: String(error) } }),
        );
      }
    }

    status(text) {
      const p = document.createElement('p');
      p.setAttribute('role', 'status');
      p.textContent = text;
      this.replaceChildren(p);
    }

    render(offer) {
      const w = this.words;
      const options = offer.items[0]?.options ?? [];
      if (options.length === 0) return this.status(w.empty);
      const money = new Intl.NumberFormat(offer.language || undefined, {
        style: 'currency',
        currency: offer.currency,
      });
      const digits = money.resolvedOptions().maximumFractionDigits ?? 2;
      const fieldset = document.createElement('fieldset');
      fieldset.className = 'protego-offer';
      const legend = document.createElement('legend');
      legend.textContent = w.legend;
      fieldset.append(legend);
      const choice = (value, text, plan) => {
        const row = document.createElement('div');
        row.className = 'protego-offer-plan';
        const input = document.createElement('input');
        input.type = 'radio';
        input.name = this.uid;
        input.id = `${this.uid}-${value}`;
        input.value = value;
        input.addEventListener('change', () => this.select(plan));
        const label = document.createElement('label');
        label.htmlFor = input.id;
        label.textContent = text;
        row.append(input, label);
        if (plan?.termsUrl) {
          const terms = document.createElement('a');
          terms.href = plan.termsUrl;
          terms.target = '_blank';
          terms.rel = 'noopener';
          terms.textContent = `${w.terms} (${plan.productName}, ${w.months(plan.termMonths)})`;
          row.append(' ', terms);
        }
        return row;
      };
      for (const o of options) {
        const plan = {
          offerId: offer.id,
          optionId: o.id,
          productCode: o.product_code,
          productName: o.product_name,
          termMonths: o.term_months,
          premium: { amount: o.premium.total, currency: o.premium.currency },
          termsUrl: o.documents?.terms_url ?? null,
          expiresAt: offer.expires_at,
        };
        const price = money.format(o.premium.total / 10 ** digits);
        fieldset.append(choice(o.id, `${o.product_name}, ${w.months(o.term_months)}: ${price}`, plan));
      }
      fieldset.append(choice('none', w.none, null));
      this.replaceChildren(fieldset);
      this.dispatchEvent(
        new CustomEvent('protego-offer-ready', {
          bubbles: true,
          detail: { offerId: offer.id, plans: options.length },
        }),
      );
    }

    select(plan) {
      this.dispatchEvent(
        new CustomEvent('protego-offer-select', { bubbles: true, composed: true, detail: plan }),
      );
    }
  }

  if (!customElements.get('protego-offer')) customElements.define('protego-offer', ProtegoOffer);
})();
