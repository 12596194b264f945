import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { jsonAnswersEndWithNewline } from '@ruleshift/contracts';
import { serveConsole } from './console/serve-console';
import { bodyLimitsFromEnv, type BodyLimits } from './http/body-limits';
import { bodyParsers } from './http/body-parsers';
import { describeErrorsAndSecurity } from './http/openapi-errors';
import { RuleshiftExceptionFilter } from './http/ruleshift-exception.filter';
import { validationFailedFrom } from './http/validation-errors';

export interface ConfigureProxyAppOptions {
  /** Body size and depth limits; default: MAX_BODY_BYTES, EVENTS_MAX_BODY_BYTES, JSON_MAX_DEPTH. */
  bodyLimits?: BodyLimits;
  /** The built web console served at `/`; default `<repo>/dist/console` (`npm run build`). */
  consoleDir?: string;
}

/**
 * Everything the HTTP API needs besides its module: validation, the error filter and the
 * OpenAPI docs, and the web console at `/`. Shared by the proxy's own main and the standalone process. Routes carry their
 * `api/` prefix themselves (no global prefix), so the adapter's `/artifacts/...` stays as is.
 * Call before `app.init()`/`listen()`.
 */
export function configureProxyApp(
  app: INestApplication,
  options: ConfigureProxyAppOptions = {},
): void {
  // First, so that every JSON answer passes through it, body-parser errors and 404s included.
  app.use(jsonAnswersEndWithNewline);
  for (const parser of bodyParsers(options.bodyLimits ?? bodyLimitsFromEnv(process.env))) {
    app.use(parser);
  }
  serveConsole(app, options.consoleDir);
  app.useGlobalPipes(
    new ValidationPipe({
      // The adapter gets the body as sent; DTO classes only check it. Extra fields are
      // allowed: the paper's objects are extended additively.
      transform: false,
      whitelist: false,
      forbidUnknownValues: false,
      // One reason per field: a missing string is 'must be a string', not also 'should not be empty'.
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      exceptionFactory: validationFailedFrom,
    }),
  );
  app.useGlobalFilters(new RuleshiftExceptionFilter());
  const document = describeErrorsAndSecurity(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('ruleshift')
        .setDescription(
          'Install, start, stop, move and uninstall templated stream-processing rules (Bixio et al. 2020, section 3), plus read endpoints and event publish/tail.',
        )
        .setVersion('0.1.0')
        .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, document, { raw: ['yaml'] });
  // Served here rather than by SwaggerModule (which sends it without going through res.json):
  // like every JSON answer it ends with a newline.
  app
    .getHttpAdapter()
    .get('/api/docs-json', (_request: unknown, response: { json(body: unknown): void }) =>
      response.json(document),
    );
}
