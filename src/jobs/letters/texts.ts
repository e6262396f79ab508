import type { CoverageType } from '../../core/catalog/product.js';
import type { PolicyStatus } from '../../core/policies/policy.js';

/** The languages a policy letter and certificate are written in; any other language gets English. */
export const LETTER_LANGUAGES = ['sv', 'de', 'fr', 'en'] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];

/** Every word of the letter and the certificate in one language, so a new language is one more entry. */
export interface LetterTexts {
  subject(product: string, policyId: string): string;
  greeting(name: string | undefined): string;
  intro(product: string): string;
  closing: string;
  /** The same letter, sent when the cover is bought, for cover that begins on a later date. */
  confirmed: {
    subject(product: string, policyId: string): string;
    intro(product: string, startsOn: string): string;
  };
  /** The letter confirming that cover has ended, with what is refunded. */
  cancellation: {
    subject(product: string, policyId: string): string;
    intro(product: string): string;
    endedOn: string;
    refund: string;
  };
  /** Between a label and its value in the e-mail: French typography puts a (no-break) space before the colon. */
  colon: string;
  certificateTitle: string;
  /** Base of the attachment's file name: ASCII, so every mail client shows it as it is. */
  certificateFile: string;
  certificateNote: string;
  labels: {
    policyNumber: string;
    product: string;
    coverage: string;
    status: string;
    policyholder: string;
    insuredItem: string;
    serialNumber: string;
    itemPrice: string;
    coverPeriod: string;
    premiumNet: string;
    premiumTotal: string;
    insurer: string;
    terms: string;
    ipid: string;
    /** The customer's own page of the policy: certificate, cancellation, claims. */
    account: string;
  };
  /** The cover period when cover waits for the item to be delivered and has no dates yet. */
  coverFromDelivery: string;
  coverPeriod(from: string, to: string): string;
  coverage: Record<CoverageType, string>;
  status: Record<PolicyStatus, string>;
}

const sv: LetterTexts = {
  subject: (product, id) => `Din försäkring gäller nu: ${product} (${id})`,
  greeting: (name) => (name ? `Hej ${name},` : 'Hej,'),
  intro: (product) =>
    `tack för ditt köp. Nu gäller din försäkring: ${product}. Här är en sammanfattning; försäkringsbeviset finns som bilaga.`,
  closing: 'Med vänliga hälsningar\nProtego Insurance',
  confirmed: {
    subject: (product, id) => `Din försäkring är bekräftad: ${product} (${id})`,
    intro: (product, from) =>
      `tack för ditt köp. Din försäkring ${product} är bekräftad och gäller från ${from}. Här är en sammanfattning; försäkringsbeviset finns som bilaga.`,
  },
  cancellation: {
    subject: (product, id) => `Din försäkring har avslutats: ${product} (${id})`,
    intro: (product) => `din försäkring ${product} har avslutats. Här är en sammanfattning.`,
    endedOn: 'Avslutad',
    refund: 'Återbetalning',
  },
  colon: ': ',
  certificateTitle: 'Försäkringsbevis',
  certificateFile: 'forsakringsbevis',
  certificateNote:
    'Detta försäkringsbevis bekräftar försäkringen som beskrivs ovan, enligt de länkade villkoren. Spara det tillsammans med kvittot.',
  labels: {
    policyNumber: 'Försäkringsnummer',
    product: 'Försäkring',
    coverage: 'Skydd',
    status: 'Status',
    policyholder: 'Försäkringstagare',
    insuredItem: 'Försäkrad produkt',
    serialNumber: 'Serienummer',
    itemPrice: 'Inköpspris',
    coverPeriod: 'Försäkringsperiod',
    premiumNet: 'Premie exkl. skatt',
    premiumTotal: 'Premie att betala',
    insurer: 'Försäkringsgivare',
    terms: 'Försäkringsvillkor',
    ipid: 'Förköpsinformation (IPID)',
    account: 'Din försäkring online',
  },
  coverFromDelivery: 'från leveransen av produkten',
  coverPeriod: (from, to) => `${from} – ${to}`,
  coverage: {
    extended_warranty: 'Förlängd garanti',
    accidental_damage: 'Olyckshändelse',
    theft: 'Stöld',
    damage_and_theft: 'Skada och stöld',
  },
  status: {
    quoted: 'offererad',
    pending_payment: 'väntar på betalning',
    scheduled: 'börjar gälla senare',
    active: 'gäller',
    expired: 'har löpt ut',
    cancelled: 'uppsagd',
    voided: 'makulerad',
  },
};

const de: LetterTexts = {
  subject: (product, id) => `Ihre Versicherung ist jetzt gültig: ${product} (${id})`,
  greeting: (name) => (name ? `Guten Tag ${name},` : 'Guten Tag,'),
  intro: (product) =>
    `vielen Dank für Ihren Einkauf. Ihre Versicherung ist jetzt gültig: ${product}. Hier ist eine Übersicht; den Versicherungsschein finden Sie im Anhang.`,
  closing: 'Mit freundlichen Grüßen\nProtego Insurance',
  confirmed: {
    subject: (product, id) => `Ihre Versicherung ist bestätigt: ${product} (${id})`,
    intro: (product, from) =>
      `vielen Dank für Ihren Einkauf. Ihre Versicherung ${product} ist bestätigt und gilt ab dem ${from}. Hier ist eine Übersicht; den Versicherungsschein finden Sie im Anhang.`,
  },
  cancellation: {
    subject: (product, id) => `Ihre Versicherung wurde beendet: ${product} (${id})`,
    intro: (product) => `Ihre Versicherung ${product} wurde beendet. Hier ist eine Übersicht.`,
    endedOn: 'Beendet am',
    refund: 'Erstattung',
  },
  colon: ': ',
  certificateTitle: 'Versicherungsschein',
  certificateFile: 'versicherungsschein',
  certificateNote:
    'Dieser Versicherungsschein bestätigt den oben beschriebenen Schutz zu den oben verlinkten Bedingungen. Bitte bewahren Sie ihn mit Ihrem Kaufbeleg auf.',
  labels: {
    policyNumber: 'Versicherungsnummer',
    product: 'Versicherung',
    coverage: 'Schutz',
    status: 'Status',
    policyholder: 'Versicherungsnehmer',
    insuredItem: 'Versicherter Gegenstand',
    serialNumber: 'Seriennummer',
    itemPrice: 'Kaufpreis',
    coverPeriod: 'Versicherungszeitraum',
    premiumNet: 'Prämie ohne Steuer',
    premiumTotal: 'Zu zahlende Prämie',
    insurer: 'Versicherer',
    terms: 'Versicherungsbedingungen',
    ipid: 'Produktinformationsblatt (IPID)',
    account: 'Ihre Versicherung online',
  },
  coverFromDelivery: 'ab Lieferung des Gegenstands',
  coverPeriod: (from, to) => `${from} – ${to}`,
  coverage: {
    extended_warranty: 'Garantieverlängerung',
    accidental_damage: 'Unfallschaden',
    theft: 'Diebstahl',
    damage_and_theft: 'Schaden und Diebstahl',
  },
  status: {
    quoted: 'angeboten',
    pending_payment: 'Zahlung ausstehend',
    scheduled: 'beginnt später',
    active: 'gültig',
    expired: 'abgelaufen',
    cancelled: 'gekündigt',
    voided: 'storniert',
  },
};

const fr: LetterTexts = {
  subject: (product, id) => `Votre assurance est maintenant active : ${product} (${id})`,
  greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
  intro: (product) =>
    `merci pour votre achat. Votre assurance est maintenant active : ${product}. En voici le résumé ; l'attestation d'assurance est en pièce jointe.`,
  closing: 'Bien cordialement,\nProtego Insurance',
  confirmed: {
    subject: (product, id) => `Votre assurance est confirmée : ${product} (${id})`,
    intro: (product, from) =>
      `merci pour votre achat. Votre assurance ${product} est confirmée et prend effet le ${from}. En voici le résumé ; l'attestation d'assurance est en pièce jointe.`,
  },
  cancellation: {
    subject: (product, id) => `Votre assurance a pris fin : ${product} (${id})`,
    intro: (product) => `votre assurance ${product} a pris fin. En voici le résumé.`,
    endedOn: 'Fin le',
    refund: 'Remboursement',
  },
  colon: '\u00a0: ',
  certificateTitle: "Attestation d'assurance",
  certificateFile: 'attestation-assurance',
  certificateNote:
    "Cette attestation confirme la garantie décrite ci-dessus, aux conditions générales indiquées. Conservez-la avec votre preuve d'achat.",
  labels: {
    policyNumber: 'Numéro de contrat',
    product: 'Assurance',
    coverage: 'Garantie',
    status: 'Statut',
    policyholder: 'Assuré',
    insuredItem: 'Bien assuré',
    serialNumber: 'Numéro de série',
    itemPrice: "Prix d'achat",
    coverPeriod: 'Période de garantie',
    premiumNet: 'Prime hors taxes',
    premiumTotal: 'Prime TTC',
    insurer: 'Assureur',
    terms: 'Conditions générales',
    ipid: "Document d'information (IPID)",
    account: 'Votre contrat en ligne',
  },
  coverFromDelivery: 'à partir de la livraison du bien',
  coverPeriod: (from, to) => `du ${from} au ${to}`,
  coverage: {
    extended_warranty: 'Extension de garantie',
    accidental_damage: 'Dommage accidentel',
    theft: 'Vol',
    damage_and_theft: 'Dommage et vol',
  },
  status: {
    quoted: 'devis',
    pending_payment: 'en attente de paiement',
    scheduled: 'débute plus tard',
    active: 'active',
    expired: 'expirée',
    cancelled: 'résiliée',
    voided: 'annulée',
  },
};

const en: LetterTexts = {
  subject: (product, id) => `Your insurance is now active: ${product} (${id})`,
  greeting: (name) => (name ? `Dear ${name},` : 'Hello,'),
  intro: (product) =>
    `thank you for your purchase. Your insurance is now active: ${product}. Here is a summary; your certificate of insurance is attached.`,
  closing: 'Kind regards\nProtego Insurance',
  confirmed: {
    subject: (product, id) => `Your insurance is confirmed: ${product} (${id})`,
    intro: (product, from) =>
      `thank you for your purchase. Your insurance ${product} is confirmed and starts on ${from}. Here is a summary; your certificate of insurance is attached.`,
  },
  cancellation: {
    subject: (product, id) => `Your insurance has ended: ${product} (${id})`,
    intro: (product) => `your insurance ${product} has ended. Here is a summary.`,
    endedOn: 'Ended on',
    refund: 'Refund',
  },
  colon: ': ',
  certificateTitle: 'Certificate of insurance',
  certificateFile: 'certificate',
  certificateNote:
    'This certificate confirms the cover described above, under the terms linked above. Please keep it with your receipt.',
  labels: {
    policyNumber: 'Policy number',
    product: 'Insurance',
    coverage: 'Cover',
    status: 'Status',
    policyholder: 'Policyholder',
    insuredItem: 'Insured item',
    serialNumber: 'Serial number',
    itemPrice: 'Purchase price',
    coverPeriod: 'Period of cover',
    premiumNet: 'Premium before tax',
    premiumTotal: 'Premium payable',
    insurer: 'Insurer',
    terms: 'Terms and conditions',
    ipid: 'Insurance product information (IPID)',
    account: 'Your policy online',
  },
  coverFromDelivery: 'from delivery of the item',
  coverPeriod: (from, to) => `${from} – ${to}`,
  coverage: {
    extended_warranty: 'Extended warranty',
    accidental_damage: 'Accidental damage',
    theft: 'Theft',
    damage_and_theft: 'Damage and theft',
  },
  status: {
    quoted: 'quoted',
    pending_payment: 'awaiting payment',
    scheduled: 'starts later',
    active: 'active',
    expired: 'expired',
    cancelled: 'cancelled',
    voided: 'voided',
  },
};

const TEXTS: Record<LetterLanguage, LetterTexts> = { sv, de, fr, en };

/** The policy's language if we write it, else English. */
export function letterLanguage(language: string | undefined): LetterLanguage {
  const l = language?.toLowerCase();
  return (LETTER_LANGUAGES as readonly string[]).includes(l ?? '') ? (l as LetterLanguage) : 'en';
}

export function textsFor(language: LetterLanguage): LetterTexts {
  return TEXTS[language];
}
