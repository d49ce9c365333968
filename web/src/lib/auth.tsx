import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, get, post } from './api';
import type { Me } from './types';

interface AuthState {
  me: Me | null;
  loading: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  can(permission: string): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    get<{ signedIn: boolean; me: Me | null }>('/api/v1/auth/session')
      .then((session) => setMe(session.me))
      .catch((error: unknown) => {
        if (!(error instanceof ApiError)) console.error(error);
      })
      .finally(() => setLoading(false));
    const onUnauthenticated = () => setMe(null);
    window.addEventListener('openscf:unauthenticated', onUnauthenticated);
    return () => window.removeEventListener('openscf:unauthenticated', onUnauthenticated);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    setMe(await post<Me>('/api/v1/auth/login', { username, password }));
  }, []);
  const logout = useCallback(async () => {
    await post('/api/v1/auth/logout').catch(() => undefined);
    setMe(null);
  }, []);
  const value = useMemo<AuthState>(
    () => ({ me, loading, login, logout, can: (permission) => me?.permissions.includes(permission) ?? false }),
    [me, loading, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** The signed-in user (only inside the authenticated shell). */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('not signed in');
  return me;
}
