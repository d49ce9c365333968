import { useCallback, useEffect, useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from './api';

/** Loads `path` (re-loads when it changes); `null` skips. Errors are shown once as a message. */
export function useRemote<T>(path: string | null) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const notify = useNotifyError();
  useEffect(() => {
    if (!path) return;
    let cancelled = false;
    setLoading(true);
    get<T>(path)
      .then((value) => {
        if (!cancelled) {
          setData(value);
          setError(undefined);
        }
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        if (err instanceof ApiError) setError(err);
        notify(err);
      })
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [path, tick, notify]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

export function useNotifyError() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (err: unknown) => {
      if (err instanceof ApiError) {
        if (err.status !== 401) void message.error(err.message);
      } else void message.error(t('errors.network'));
    },
    [message, t],
  );
}

let currencies: Promise<string[]> | undefined;

/** The currencies the platform keeps (from /api/v1/system/info, fetched once); CNY until they arrive. */
export function useCurrencies(): string[] {
  const [codes, setCodes] = useState<string[]>(['CNY']);
  useEffect(() => {
    let cancelled = false;
    currencies ??= get<{ currencies: { code: string }[] }>('/api/v1/system/info').then((info) => info.currencies.map((c) => c.code));
    currencies.then((list) => !cancelled && setCodes(list)).catch(() => (currencies = undefined));
    return () => {
      cancelled = true;
    };
  }, []);
  return codes;
}
