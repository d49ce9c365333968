/** Builds a multipart/form-data body by hand (for attachment uploads through `app.inject`). */
import { randomBytes } from 'node:crypto';

export interface MultipartFile {
  field?: string;
  fileName: string;
  content: Buffer | string;
  contentType?: string;
}

export interface MultipartBody {
  payload: Buffer;
  headers: Record<string, string>;
}

export function multipart(fields: Record<string, string>, file?: MultipartFile): MultipartBody {
  const boundary = `----openscf-test-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.fileName}"\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        'utf8',
      ),
    );
    chunks.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'utf8'));
    chunks.push(Buffer.from('\r\n', 'utf8'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  const payload = Buffer.concat(chunks);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(payload.length) } };
}

/** A tiny but well-formed-looking PDF (the server checks the `%PDF` magic bytes). */
export function tinyPdf(label = 'OpenSCF test'): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${label}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'utf8');
}
