import { UsageError } from './api-failure';

/**
 * The API's base URL as an operator types it: `localhost:3000` and `10.0.0.5:3000` mean
 * http://; anything but http(s) is a usage error naming where it came from.
 */
export function parseServerUrl(value: string, source: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(source, `not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(source, `must be an http:// or https:// URL, got ${value}`);
  }
  return withScheme.replace(/\/+$/, '');
}
