import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { findRepoRoot } from '@ruleshift/templates';

/** Where `npm run build` puts the web console (apps/console, built by Vite). */
export const DEFAULT_CONSOLE_DIR: string = join(findRepoRoot(), 'dist', 'console');

/**
 * The console's own routes: a reload or a shared link on one of them gets index.html. Only these
 * fall back, so `/api/...`, `/artifacts/...` and anything else keep their own answers and 404s.
 */
export const CONSOLE_ROUTES = ['/rules', '/install', '/runtimes', '/deadletters', '/pipelines'];

const isConsoleRoute = (path: string): boolean =>
  CONSOLE_ROUTES.some((route) => path === route || path.startsWith(`${route}/`));

/**
 * Serves the built console at `/` (no token: it holds no data, every API call it makes carries
 * the operator's token). Hashed assets are cached for good, index.html never. Without a build,
 * `/` says how to get one instead of a bare 404.
 */
export function serveConsole(app: INestApplication, dir: string = DEFAULT_CONSOLE_DIR): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    app.use((request: Request, response: Response, next: NextFunction) => {
      if (request.method !== 'GET' || (request.path !== '/' && !isConsoleRoute(request.path))) {
        next();
        return;
      }
      response.status(404).json({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: `the web console is not built (no ${index}): run npm run build`,
        errors: [{ field: 'path', reason: 'the console is not built' }],
      });
    });
    return;
  }
  (app as NestExpressApplication).useStaticAssets(dir, {
    index: 'index.html',
    setHeaders: (response: Response, path: string) => {
      response.setHeader(
        'Cache-Control',
        path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
    },
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !isConsoleRoute(request.path)) {
      next();
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
