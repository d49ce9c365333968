/**
 * Imports from a spreadsheet: the rows of an XLSX workbook (first sheet) or a CSV file (UTF-8 or GB18030, as ERP
 * systems export them) whose first row names the columns, and the error report of a refused import — the shape
 * every "all rows or none" import shares (trade documents, prices).
 */
import ExcelJS from 'exceljs';
import { decodeCsv, parseCsv } from './csv';
import { AppError } from './errors';

/** One problem of one row (the row number as the spreadsheet shows it: the header is row 1). */
export interface ImportRowError {
  row: number;
  field: string;
  message: { zh: string; en: string };
}

export const MAX_IMPORT_ROWS = 5000;

/**
 * The file's rows as records by lower-cased column name. Refuses (IMPORT_FILE_INVALID) a file that is neither
 * .xlsx nor .csv, cannot be read, lacks a `required` column or has more than `maxRows` rows.
 */
export async function readTable(
  fileName: string,
  content: Buffer,
  columns: readonly string[],
  required: readonly string[],
  maxRows = MAX_IMPORT_ROWS,
): Promise<Record<string, string>[]> {
  const lower = fileName.toLowerCase();
  let table: string[][];
  if (lower.endsWith('.csv')) {
    table = parseCsv(decodeCsv(content)).map((row) => row.map((cell) => cell.trim()));
  } else if (lower.endsWith('.xlsx')) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(content as unknown as ArrayBuffer);
    } catch (error) {
      throw new AppError('IMPORT_FILE_INVALID', { reason: (error as Error).message.slice(0, 100) });
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new AppError('IMPORT_FILE_INVALID', { reason: 'no sheet' });
    table = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values = (row.values as unknown[]).slice(1).map((v) => {
        if (v instanceof Date) return v.toISOString().slice(0, 10);
        if (v && typeof v === 'object' && 'text' in v) return String((v as { text: unknown }).text);
        if (v && typeof v === 'object' && 'result' in v) return String((v as { result: unknown }).result);
        return v === null || v === undefined ? '' : String(v).trim();
      });
      table.push(values);
    });
  } else throw new AppError('IMPORT_FILE_INVALID', { reason: 'use .xlsx or .csv' });
  const [header, ...body] = table;
  if (!header) throw new AppError('IMPORT_FILE_INVALID', { reason: 'empty file' });
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = required.filter((c) => !names.includes(c));
  if (missing.length) throw new AppError('IMPORT_FILE_INVALID', { reason: `missing columns: ${missing.join(', ')}` });
  if (body.length > maxRows) throw new AppError('IMPORT_FILE_INVALID', { reason: `at most ${maxRows} rows` });
  const known = new Set(columns);
  return body.map((cells) => Object.fromEntries(names.flatMap((n, i) => (known.has(n) ? [[n, cells[i] ?? '']] : []))));
}

/** The error report of a refused import as an XLSX workbook (row, column, message in the reader's language). */
export async function importErrorWorkbook(errors: readonly ImportRowError[], locale: 'zh-CN' | 'en'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('errors');
  sheet.addRow(locale === 'en' ? ['Row', 'Column', 'Problem'] : ['行号', '列', '问题']).font = { bold: true };
  for (const e of errors) sheet.addRow([e.row, e.field, locale === 'en' ? e.message.en : e.message.zh]);
  sheet.columns.forEach((c) => (c.width = 24));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
