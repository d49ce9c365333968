import { useCallback, useEffect, useMemo, useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from './api';
import { knownCurrencies, loadCurrencies } from './money';

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

/**
 * The currencies the platform keeps (money.ts: /api/v1/system/info, fetched once, with their decimals); CNY until they
 * arrive. The caller renders again when they do (the app does, so forms pick up each currency's decimals).
 */
export function useCurrencies(): string[] {
  const [known, setKnown] = useState(knownCurrencies);
  useEffect(() => {
    let cancelled = false;
    loadCurrencies()
      .then(() => {
        if (cancelled) return;
        const next = knownCurrencies();
        setKnown((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);
  return useMemo(() => known.map((c) => c.code), [known]);
}
