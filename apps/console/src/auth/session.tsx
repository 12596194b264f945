import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiClient } from '../api/api-client';
import { tokenStore } from './token-store';

interface Session {
  token: string | null;
  /** Why the console asks for a token again (the API refused the last one), if it does. */
  notice: string | null;
  api: ApiClient | null;
  logIn(token: string): void;
  logOut(notice?: string): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => tokenStore.read());
  const [notice, setNotice] = useState<string | null>(null);
  const queryClient = useQueryClient();

  const logOut = useCallback(
    (why?: string) => {
      tokenStore.clear();
      // What one token was allowed to read must not show under the next one.
      queryClient.clear();
      setToken(null);
      setNotice(why ?? null);
    },
    [queryClient],
  );
  const logIn = useCallback((next: string) => {
    tokenStore.write(next);
    setNotice(null);
    setToken(next);
  }, []);

  const api = useMemo(
    () =>
      token
        ? new ApiClient(token, () => logOut('The API refused the token (401). Enter another one.'))
        : null,
    [token, logOut],
  );
  const session = useMemo(
    () => ({ token, notice, api, logIn, logOut }),
    [token, notice, api, logIn, logOut],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The API client of a logged-in session (pages render only once a token is set). */
export function useApi(): ApiClient {
  const { api } = useSession();
  if (!api) throw new Error('useApi without a token');
  return api;
}
