import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonAnswerText } from '@ruleshift/contracts';

/** Seconds a client is asked to wait before retrying a request that came while starting. */
export const STARTING_RETRY_AFTER_SECONDS = 2;

/**
 * The HTTP server of `npm start` listens before the registry, the adapter and the proxy are
 * assembled (the adapter needs the port for its artifact URL). Until the API takes over, every
 * request gets this: 503 with Retry-After, in the API's one error shape, instead of a
 * connection nobody answers.
 */
export function answerWhileStarting(request: IncomingMessage, response: ServerResponse): void {
  request.resume(); // an unread body must not hold the socket
  response.writeHead(503, {
    'content-type': 'application/json; charset=utf-8',
    'retry-after': String(STARTING_RETRY_AFTER_SECONDS),
    'cache-control': 'no-store',
    connection: 'close',
  });
  response.end(
    jsonAnswerText({
      statusCode: 503,
      code: 'RUNTIME_UNAVAILABLE',
      message: `ruleshift is starting: retry in ${STARTING_RETRY_AFTER_SECONDS} s`,
      errors: [],
    }),
  );
}
