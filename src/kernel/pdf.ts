/**
 * PDF documents (pdfkit) with an embedded Chinese font (Noto Sans SC from npm, so Chinese renders on any machine):
 * loan contracts, warehouse receipts. A document is drawn by a function and answered as bytes.
 */
import PDFDocument from 'pdfkit';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const CJK_FONT_REGULAR = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
export const CJK_FONT_BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');

export type Pdf = InstanceType<typeof PDFDocument>;

/** An A4 document with the fonts 'regular' and 'bold' registered; `draw` writes the pages, the bytes come back. */
export function renderPdf(title: string, draw: (doc: Pdf) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Author: 'OpenSCF' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('regular', CJK_FONT_REGULAR);
    doc.registerFont('bold', CJK_FONT_BOLD);
    try {
      draw(doc);
    } catch (error) {
      reject(error);
      return;
    }
    doc.end();
  });
}
