/**
 * Every JSON answer of ruleshift's HTTP servers (proxy, adapter, `npm start`), errors included,
 * is one JSON text and a newline: `curl` then leaves the shell prompt on its own line, and line
 * tools (`read`, `tail`, `grep`) see one line.
 */
export function jsonAnswerText(value: unknown): string {
  // JSON.stringify(undefined) is undefined: an empty body, as Express sends it.
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? '' : `${text}\n`;
}

/** The part of an Express response the middleware below uses. */
interface JsonResponse {
  json(body: unknown): unknown;
  get(field: string): string | undefined;
  set(field: string, value: string): unknown;
  send(body: string): unknown;
}

/**
 * Express middleware (mounted first, so body-parser errors and 404s pass through it too):
 * the response's `json()` sends `jsonAnswerText`. Express's own `res.json` has no hook for a
 * trailing newline, hence a replacement rather than a setting.
 */
export function jsonAnswersEndWithNewline(
  _request: unknown,
  response: JsonResponse,
  next: () => void,
): void {
  response.json = (body: unknown) => {
    if (!response.get('Content-Type')) response.set('Content-Type', 'application/json');
    return response.send(jsonAnswerText(body));
  };
  next();
}
