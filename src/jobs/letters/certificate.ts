import { INSURER_NAME, type PolicySummary, type SummaryRow } from './summary.js';

const MARGIN = 56;
const LABEL_WIDTH = 170;
const GAP = 14;

/**
 * The certificate of insurance as a one-page A4 PDF. It uses PDF's built-in Helvetica, so nothing is
 * read from disk and the file stays small; that font covers the Latin-1 letters of sv, de, fr and en.
 */
export async function renderCertificate(
  summary: PolicySummary,
  opts: { createdAt?: Date } = {},
): Promise<Buffer> {
  // Loaded when the first certificate is made: pdfkit and its fonts' libraries were a tenth of the
  // server's start, and most processes make no PDF for a while.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: summary.locale,
    info: {
      Title: `${summary.texts.certificateTitle} ${summary.policyId}`,
      Author: INSURER_NAME,
      Subject: summary.productName,
      ...(opts.createdAt ? { CreationDate: opts.createdAt } : {}),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(20).text(pdfText(summary.texts.certificateTitle));
  doc
    .font('Helvetica')
    .fontSize(11)
    .fillColor('#555555')
    .text(pdfText(`${INSURER_NAME} · ${summary.productName}`));
  doc.fillColor('#000000').moveDown(1.5);
  table(doc, summary.details);
  doc.moveDown(1);
  table(doc, summary.premium, { boldLast: true });
  if (summary.documents.length > 0) {
    doc.moveDown(1);
    table(doc, summary.documents);
  }
  doc.moveDown(2);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#555555')
    .text(pdfText(summary.texts.certificateNote), MARGIN, doc.y, { width: contentWidth(doc) });
  doc.end();
  return done;
}

/** Label and value side by side, each row as tall as its longer cell (long URLs and names wrap). */
function table(doc: PDFKit.PDFDocument, rows: SummaryRow[], opts: { boldLast?: boolean } = {}): void {
  const valueX = MARGIN + LABEL_WIDTH + GAP;
  const valueWidth = contentWidth(doc) - LABEL_WIDTH - GAP;
  rows.forEach((row, i) => {
    const bold = opts.boldLast && i === rows.length - 1;
    const label = pdfText(row.label);
    const value = pdfText(row.value);
    const y = doc.y;
    doc.font('Helvetica').fontSize(10).fillColor('#555555');
    const labelHeight = doc.heightOfString(label, { width: LABEL_WIDTH });
    doc.text(label, MARGIN, y, { width: LABEL_WIDTH });
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fillColor(row.url ? '#1a4fa0' : '#000000');
    const valueHeight = doc.heightOfString(value, { width: valueWidth });
    doc.text(value, valueX, y, { width: valueWidth, ...(row.url ? { link: row.url, underline: true } : {}) });
    doc.fillColor('#000000');
    doc.x = MARGIN;
    doc.y = y + Math.max(labelHeight, valueHeight) + 4;
  });
}

function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - 2 * MARGIN;
}

/**
 * Intl separates thousands and units with narrow no-break spaces (U+202F), which the built-in fonts'
 * encoding lacks; a plain no-break space keeps the same meaning and prints.
 */
function pdfText(text: string): string {
  return text.replace(/[\u202f\u2009]/g, '\u00a0').replace(/\u2212/g, '-');
}
