/**
 * The bearer token lives in sessionStorage: it survives reloads of the tab but not the browser
 * session, and is never written to localStorage or a cookie the server would see.
 */
const KEY = 'ruleshift.token';

export const tokenStore = {
  read(): string | null {
    return sessionStorage.getItem(KEY);
  },
  write(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
