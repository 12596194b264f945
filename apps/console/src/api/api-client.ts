import { ApiError, type FieldError } from './api-error';

interface ErrorBody {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/**
 * fetch() against the proxy's `/api`, with the session's bearer token. Every non-2xx answer
 * becomes an ApiError carrying the fields the API named; a 401 also tells the session the
 * token no longer works (`onUnauthorized`), so the console asks for another one.
 */
export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, 'UNREACHABLE', `the API did not answer (${String(error)})`);
    }
    const text = await response.text();
    const json = parseJson(text);
    if (response.ok) return json as T;
    if (response.status === 401) this.onUnauthorized();
    throw toApiError(response.status, json, text);
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(status: number, json: unknown, text: string): ApiError {
  const body = (json ?? {}) as ErrorBody;
  const errors: FieldError[] = Array.isArray(body.errors)
    ? body.errors.filter(
        (e): e is FieldError =>
          typeof (e as FieldError)?.field === 'string' &&
          typeof (e as FieldError)?.reason === 'string',
      )
    : [];
  const message =
    typeof body.message === 'string' ? body.message : text.slice(0, 200) || `HTTP ${status}`;
  const code = typeof body.code === 'string' ? body.code : `HTTP_${status}`;
  return new ApiError(status, code, message, errors);
}
