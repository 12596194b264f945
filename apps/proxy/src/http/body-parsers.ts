import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, urlencoded } from 'body-parser';
import type { NextFunction, Request, Response } from 'express';
import type { BodyLimits } from './body-limits';
import { exceedsJsonDepth } from './json-depth';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/** Event ingest takes larger bodies (batches of events) than rule operations. */
const EVENTS_PATH = /^\/api\/events(\/|$)/;

/**
 * The API's body parsers: JSON and urlencoded, each with the limit of the route family (413
 * past it) and JSON nesting bounded (400). The functions keep body-parser's names
 * (`jsonParser`, `urlencodedParser`) so Nest does not add its own default ones next to them.
 */
export function bodyParsers(limits: BodyLimits): Middleware[] {
  const verify = (_req: IncomingMessage, _res: ServerResponse, buf: Buffer, encoding: string) => {
    const utf8 = /^utf-?8$/i.test(encoding)
      ? buf
      : Buffer.from(new TextDecoder(encoding).decode(buf), 'utf8');
    if (exceedsJsonDepth(utf8, limits.jsonMaxDepth)) {
      throw Object.assign(new Error(`nests deeper than ${limits.jsonMaxDepth} levels`), {
        status: 400,
        type: 'entity.too.deep',
      });
    }
  };
  const forRules = {
    json: json({ limit: limits.maxBodyBytes, verify }),
    urlencoded: urlencoded({ limit: limits.maxBodyBytes, extended: true }),
  };
  const forEvents = {
    json: json({ limit: limits.eventsMaxBodyBytes, verify }),
    urlencoded: urlencoded({ limit: limits.eventsMaxBodyBytes, extended: true }),
  };
  const pick = (req: Request) => (EVENTS_PATH.test(req.path) ? forEvents : forRules);
  return [
    function jsonParser(req, res, next) {
      pick(req).json(req, res, next);
    },
    function urlencodedParser(req, res, next) {
      pick(req).urlencoded(req, res, next);
    },
  ];
}
