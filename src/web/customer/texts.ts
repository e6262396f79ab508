import type { ClaimStatus, ClaimType } from '../../core/claims/claim.js';
import type { LetterLanguage } from '../../jobs/letters/texts.js';

/** Every word of the customer pages in one language; the policy's own labels come from the letter's texts. */
export interface PageTexts {
  languageName: string;
  languageSwitch: string;
  title: string;
  certificate: string;
  documents: string;
  premium: string;
  cancelHeading: string;
  cancelIntro: string;
  cancelButton: string;
  cancelNotPossible: string;
  previewHeading: string;
  refundIfCancelled: string;
  refundRule: Record<string, string>;
  previewExpires(at: string): string;
  confirmCancel: string;
  keepPolicy: string;
  cancelledHeading: string;
  cancelledIntro: string;
  refund: string;
  claimsHeading: string;
  noClaims: string;
  newClaim: string;
  claimFormHeading: string;
  incidentDate: string;
  claimType: string;
  description: string;
  claimedAmount(currency: string): string;
  photo: string;
  photoHint: string;
  submitClaim: string;
  claimHeading(id: string): string;
  claimStatusLabel: string;
  claimFiled: string;
  attachments: string;
  history: string;
  back: string;
  claimTypes: Record<ClaimType, string>;
  claimStatus: Record<ClaimStatus, string>;
  errorHeading: string;
  linkInvalid: string;
  linkExpired: string;
  formExpired: string;
  notFound: string;
  fixErrors: string;
}

const en: PageTexts = {
  languageName: 'English',
  languageSwitch: 'Language',
  title: 'Your insurance',
  certificate: 'Download the certificate (PDF)',
  documents: 'Documents',
  premium: 'Premium',
  cancelHeading: 'Cancel this insurance',
  cancelIntro: 'You will see the refund before you confirm. Nothing changes until you confirm.',
  cancelButton: 'See my refund',
  cancelNotPossible: 'This insurance can no longer be cancelled.',
  previewHeading: 'Cancel your insurance?',
  refundIfCancelled: 'Refund if you cancel now',
  refundRule: {
    cooling_off: 'You are inside the cooling-off period: you get the whole premium back.',
    not_started: 'Your cover has not started: you get the whole premium back.',
    unpaid: 'Nothing was paid, so nothing is refunded.',
    pro_rata: 'You get back the premium for the days of cover left.',
    after_paid_claim: 'A claim was paid on this policy: there is no refund.',
    no_refund: 'After the cooling-off period this insurance has no refund.',
  },
  previewExpires: (at) => `This refund holds until ${at}.`,
  confirmCancel: 'Confirm cancellation',
  keepPolicy: 'Keep my insurance',
  cancelledHeading: 'Your insurance is cancelled',
  cancelledIntro: 'We have cancelled your insurance. You will also get a confirmation by e-mail.',
  refund: 'Refund',
  claimsHeading: 'Claims',
  noClaims: 'You have not filed a claim.',
  newClaim: 'File a claim',
  claimFormHeading: 'File a claim',
  incidentDate: 'Date of the incident',
  claimType: 'What happened',
  description: 'Describe what happened',
  claimedAmount: (currency) => `Amount you claim (${currency})`,
  photo: 'Photo of the damage',
  photoHint: 'JPEG, PNG or PDF, up to 10 MB.',
  submitClaim: 'Submit the claim',
  claimHeading: (id) => `Claim ${id}`,
  claimStatusLabel: 'Status',
  claimFiled: 'Filed on',
  attachments: 'Files',
  history: 'History',
  back: 'Back to your insurance',
  claimTypes: { damage: 'Damage', theft: 'Theft', malfunction: 'Malfunction', loss: 'Loss', other: 'Other' },
  claimStatus: {
    submitted: 'Received',
    in_review: 'Being reviewed',
    approved: 'Approved',
    denied: 'Denied',
    paid: 'Paid',
    closed: 'Closed',
  },
  errorHeading: 'This page cannot be shown',
  linkInvalid: 'This link is not valid. Please use the link in your insurance letter.',
  linkExpired: 'This link has expired. Please contact us for a new one.',
  formExpired: 'This form has expired. Please open your insurance page again.',
  notFound: 'Not found.',
  fixErrors: 'Please correct the following:',
};

const sv: PageTexts = {
  languageName: 'Svenska',
  languageSwitch: 'Språk',
  title: 'Din försäkring',
  certificate: 'Ladda ner försäkringsbeviset (PDF)',
  documents: 'Dokument',
  premium: 'Premie',
  cancelHeading: 'Säg upp försäkringen',
  cancelIntro: 'Du ser återbetalningen innan du bekräftar. Inget ändras förrän du bekräftar.',
  cancelButton: 'Visa min återbetalning',
  cancelNotPossible: 'Den här försäkringen kan inte längre sägas upp.',
  previewHeading: 'Säga upp din försäkring?',
  refundIfCancelled: 'Återbetalning om du säger upp nu',
  refundRule: {
    cooling_off: 'Du är inom ångerfristen: du får tillbaka hela premien.',
    not_started: 'Försäkringen har inte börjat gälla: du får tillbaka hela premien.',
    unpaid: 'Inget har betalats, så inget återbetalas.',
    pro_rata: 'Du får tillbaka premien för de dagar som återstår.',
    after_paid_claim: 'En skada har ersatts på försäkringen: ingen återbetalning.',
    no_refund: 'Efter ångerfristen ger den här försäkringen ingen återbetalning.',
  },
  previewExpires: (at) => `Återbetalningen gäller till ${at}.`,
  confirmCancel: 'Bekräfta uppsägningen',
  keepPolicy: 'Behåll min försäkring',
  cancelledHeading: 'Din försäkring är uppsagd',
  cancelledIntro: 'Vi har sagt upp din försäkring. Du får även en bekräftelse via e-post.',
  refund: 'Återbetalning',
  claimsHeading: 'Skadeanmälningar',
  noClaims: 'Du har inte anmält någon skada.',
  newClaim: 'Anmäl en skada',
  claimFormHeading: 'Anmäl en skada',
  incidentDate: 'Datum för händelsen',
  claimType: 'Vad hände',
  description: 'Beskriv vad som hände',
  claimedAmount: (currency) => `Belopp du begär (${currency})`,
  photo: 'Foto av skadan',
  photoHint: 'JPEG, PNG eller PDF, högst 10 MB.',
  submitClaim: 'Skicka anmälan',
  claimHeading: (id) => `Skadeanmälan ${id}`,
  claimStatusLabel: 'Status',
  claimFiled: 'Anmäld',
  attachments: 'Filer',
  history: 'Historik',
  back: 'Tillbaka till din försäkring',
  claimTypes: { damage: 'Skada', theft: 'Stöld', malfunction: 'Fel', loss: 'Förlust', other: 'Annat' },
  claimStatus: {
    submitted: 'Mottagen',
    in_review: 'Under handläggning',
    approved: 'Godkänd',
    denied: 'Avslagen',
    paid: 'Utbetald',
    closed: 'Avslutad',
  },
  errorHeading: 'Sidan kan inte visas',
  linkInvalid: 'Länken är inte giltig. Använd länken i ditt försäkringsbrev.',
  linkExpired: 'Länken har gått ut. Kontakta oss för en ny.',
  formExpired: 'Formuläret har gått ut. Öppna din försäkringssida igen.',
  notFound: 'Hittades inte.',
  fixErrors: 'Rätta följande:',
};

const de: PageTexts = {
  languageName: 'Deutsch',
  languageSwitch: 'Sprache',
  title: 'Ihre Versicherung',
  certificate: 'Versicherungsschein herunterladen (PDF)',
  documents: 'Dokumente',
  premium: 'Prämie',
  cancelHeading: 'Diese Versicherung kündigen',
  cancelIntro: 'Sie sehen die Erstattung, bevor Sie bestätigen. Bis dahin ändert sich nichts.',
  cancelButton: 'Meine Erstattung anzeigen',
  cancelNotPossible: 'Diese Versicherung kann nicht mehr gekündigt werden.',
  previewHeading: 'Versicherung kündigen?',
  refundIfCancelled: 'Erstattung bei Kündigung jetzt',
  refundRule: {
    cooling_off: 'Sie sind innerhalb der Widerrufsfrist: Sie erhalten die ganze Prämie zurück.',
    not_started: 'Ihr Schutz hat noch nicht begonnen: Sie erhalten die ganze Prämie zurück.',
    unpaid: 'Es wurde nichts bezahlt, daher wird nichts erstattet.',
    pro_rata: 'Sie erhalten die Prämie für die verbleibenden Tage zurück.',
    after_paid_claim: 'Auf diese Versicherung wurde ein Schaden bezahlt: keine Erstattung.',
    no_refund: 'Nach der Widerrufsfrist gibt es bei dieser Versicherung keine Erstattung.',
  },
  previewExpires: (at) => `Diese Erstattung gilt bis ${at}.`,
  confirmCancel: 'Kündigung bestätigen',
  keepPolicy: 'Versicherung behalten',
  cancelledHeading: 'Ihre Versicherung ist gekündigt',
  cancelledIntro: 'Wir haben Ihre Versicherung gekündigt. Sie erhalten auch eine Bestätigung per E-Mail.',
  refund: 'Erstattung',
  claimsHeading: 'Schadensmeldungen',
  noClaims: 'Sie haben keinen Schaden gemeldet.',
  newClaim: 'Schaden melden',
  claimFormHeading: 'Schaden melden',
  incidentDate: 'Datum des Vorfalls',
  claimType: 'Was ist passiert',
  description: 'Beschreiben Sie, was passiert ist',
  claimedAmount: (currency) => `Geforderter Betrag (${currency})`,
  photo: 'Foto des Schadens',
  photoHint: 'JPEG, PNG oder PDF, bis 10 MB.',
  submitClaim: 'Schaden melden',
  claimHeading: (id) => `Schadensmeldung ${id}`,
  claimStatusLabel: 'Status',
  claimFiled: 'Gemeldet am',
  attachments: 'Dateien',
  history: 'Verlauf',
  back: 'Zurück zu Ihrer Versicherung',
  claimTypes: {
    damage: 'Beschädigung',
    theft: 'Diebstahl',
    malfunction: 'Defekt',
    loss: 'Verlust',
    other: 'Sonstiges',
  },
  claimStatus: {
    submitted: 'Eingegangen',
    in_review: 'In Prüfung',
    approved: 'Genehmigt',
    denied: 'Abgelehnt',
    paid: 'Ausgezahlt',
    closed: 'Abgeschlossen',
  },
  errorHeading: 'Diese Seite kann nicht angezeigt werden',
  linkInvalid: 'Dieser Link ist ungültig. Bitte verwenden Sie den Link aus Ihrem Versicherungsschreiben.',
  linkExpired: 'Dieser Link ist abgelaufen. Bitte kontaktieren Sie uns für einen neuen.',
  formExpired: 'Dieses Formular ist abgelaufen. Bitte öffnen Sie Ihre Versicherungsseite erneut.',
  notFound: 'Nicht gefunden.',
  fixErrors: 'Bitte korrigieren Sie Folgendes:',
};

const fr: PageTexts = {
  languageName: 'Français',
  languageSwitch: 'Langue',
  title: 'Votre assurance',
  certificate: "Télécharger l'attestation (PDF)",
  documents: 'Documents',
  premium: 'Prime',
  cancelHeading: 'Résilier cette assurance',
  cancelIntro: 'Vous verrez le remboursement avant de confirmer. Rien ne change avant votre confirmation.',
  cancelButton: 'Voir mon remboursement',
  cancelNotPossible: 'Cette assurance ne peut plus être résiliée.',
  previewHeading: 'Résilier votre assurance ?',
  refundIfCancelled: 'Remboursement si vous résiliez maintenant',
  refundRule: {
    cooling_off: 'Vous êtes dans le délai de rétractation : toute la prime vous est remboursée.',
    not_started: "Votre garantie n'a pas commencé : toute la prime vous est remboursée.",
    unpaid: "Rien n'a été payé, rien n'est remboursé.",
    pro_rata: 'La prime des jours de garantie restants vous est remboursée.',
    after_paid_claim: 'Un sinistre a été payé sur ce contrat : pas de remboursement.',
    no_refund: "Après le délai de rétractation, cette assurance n'est pas remboursée.",
  },
  previewExpires: (at) => `Ce remboursement est garanti jusqu'au ${at}.`,
  confirmCancel: 'Confirmer la résiliation',
  keepPolicy: 'Garder mon assurance',
  cancelledHeading: 'Votre assurance est résiliée',
  cancelledIntro: 'Nous avons résilié votre assurance. Vous recevrez aussi une confirmation par e-mail.',
  refund: 'Remboursement',
  claimsHeading: 'Sinistres',
  noClaims: "Vous n'avez déclaré aucun sinistre.",
  newClaim: 'Déclarer un sinistre',
  claimFormHeading: 'Déclarer un sinistre',
  incidentDate: "Date de l'incident",
  claimType: "Ce qui s'est passé",
  description: "Décrivez ce qui s'est passé",
  claimedAmount: (currency) => `Montant demandé (${currency})`,
  photo: 'Photo du dommage',
  photoHint: "JPEG, PNG ou PDF, jusqu'à 10 Mo.",
  submitClaim: 'Envoyer la déclaration',
  claimHeading: (id) => `Sinistre ${id}`,
  claimStatusLabel: 'Statut',
  claimFiled: 'Déclaré le',
  attachments: 'Fichiers',
  history: 'Historique',
  back: 'Retour à votre assurance',
  claimTypes: { damage: 'Dommage', theft: 'Vol', malfunction: 'Panne', loss: 'Perte', other: 'Autre' },
  claimStatus: {
    submitted: 'Reçu',
    in_review: "En cours d'examen",
    approved: 'Accepté',
    denied: 'Refusé',
    paid: 'Payé',
    closed: 'Clos',
  },
  errorHeading: 'Cette page ne peut pas être affichée',
  linkInvalid: "Ce lien n'est pas valide. Utilisez le lien de votre courrier d'assurance.",
  linkExpired: 'Ce lien a expiré. Contactez-nous pour en obtenir un nouveau.',
  formExpired: 'Ce formulaire a expiré. Rouvrez la page de votre assurance.',
  notFound: 'Introuvable.',
  fixErrors: 'Veuillez corriger ce qui suit :',
};

const TEXTS: Record<LetterLanguage, PageTexts> = { en, sv, de, fr };

export function pageTexts(language: LetterLanguage): PageTexts {
  return TEXTS[language];
}
