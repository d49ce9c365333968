/**
 * The API client: JSON in and out, the session cookie, the UI language as Accept-Language, a fresh
 * Idempotency-Key on every write (so a retried click never creates twice), errors as ApiError with the
 * server's stable code and localised message.
 */
import i18n from '../i18n';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly requestId?: string,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

function newKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export async function api<T>(method: Method, path: string, body?: unknown, init: { idempotencyKey?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET') headers['idempotency-key'] = init.idempotencyKey ?? newKey();
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const err = (data ?? {}) as { code?: string; message?: string; details?: Record<string, unknown>; requestId?: string };
    if (response.status === 401 && path !== '/api/v1/auth/login') window.dispatchEvent(new CustomEvent('openscf:unauthenticated'));
    throw new ApiError(
      response.status,
      err.code ?? 'HTTP_' + response.status,
      err.message ?? response.statusText,
      err.details,
      err.requestId,
    );
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
