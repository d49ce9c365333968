/**
 * Demo application documents: a small real PDF per document kind (营业执照, 采购合同 …), with the applicant's name and
 * a line saying it is demo material — uploaded through the financing module as an applicant would.
 */
import PDFDocument from 'pdfkit';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const FONT = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

const TITLES: Record<string, string> = {
  business_licence: '营业执照（副本）',
  purchase_contract: '采购合同',
  purchase_order: '采购订单',
  invoice: '增值税专用发票',
  confirmation: '应收账款确认书',
  warehouse_receipt: '仓单',
};

/** A one-page PDF for document `kind` of `holder` (file name `<kind>.pdf`). */
export function demoDocument(kind: string, holder: string): Promise<{ fileName: string; content: Buffer }> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: TITLES[kind] ?? kind, Author: 'OpenSCF demo' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve({ fileName: `${kind}.pdf`, content: Buffer.concat(chunks) }));
    doc.on('error', reject);
    doc.registerFont('regular', FONT);
    doc
      .font('regular')
      .fontSize(20)
      .text(TITLES[kind] ?? kind, { align: 'center' });
    doc.moveDown().fontSize(12).text(`持有人：${holder}`);
    doc.moveDown().fontSize(10).fillColor('#888').text('OpenSCF 演示数据，非真实文件。');
    doc.end();
  });
}
