import {
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import {
  HTTP_STATUS_BY_CODE,
  RuleshiftError,
  type ErrorCode,
  type FieldError,
} from '@ruleshift/contracts';

export interface HttpErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  errors: FieldError[];
}

/**
 * The one place errors become HTTP. RuleshiftErrors map by code; body-parser and routing
 * errors keep their 4xx status in our body shape; anything else is a 500 whose details stay
 * in the log, never in the response.
 */
@Catch()
export class RuleshiftExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (response.headersSent) {
      // A streaming response (SSE) already started: all we can do is end it.
      response.end();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): HttpErrorBody {
    if (exception instanceof RuleshiftError) {
      const statusCode = HTTP_STATUS_BY_CODE[exception.code];
      if (statusCode >= 500) this.logger.warn(`${exception.code}: ${exception.message}`);
      return { statusCode, ...exception.toJSON() };
    }
    const bodyParserError = asBodyParserError(exception);
    if (bodyParserError) return bodyParserError;
    if (exception instanceof HttpException) return fromHttpException(exception);
    this.logger.error(
      'unhandled error',
      exception instanceof Error ? exception.stack : String(exception),
    );
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL',
      message: 'internal error',
      errors: [],
    };
  }
}

/** body-parser errors carry `type` and a 4xx `status` (malformed JSON, too large, ...). */
function asBodyParserError(exception: unknown): HttpErrorBody | null {
  const candidate = exception as { type?: unknown; status?: unknown; message?: unknown } | null;
  if (
    typeof candidate?.type !== 'string' ||
    typeof candidate.status !== 'number' ||
    candidate.status < 400 ||
    candidate.status >= 500
  ) {
    return null;
  }
  const reason =
    candidate.type === 'entity.parse.failed'
      ? `is not valid JSON (${String(candidate.message)})`
      : String(candidate.message);
  return {
    statusCode: candidate.status,
    code: 'VALIDATION_FAILED',
    message: `body: ${reason}`,
    errors: [{ field: 'body', reason }],
  };
}

function fromHttpException(exception: HttpException): HttpErrorBody {
  const statusCode = exception.getStatus();
  if (exception instanceof BadRequestException) return fromNestBadRequest(exception);
  return { statusCode, code: codeForStatus(statusCode), message: exception.message, errors: [] };
}

/**
 * Nest turns body-parser's SyntaxError (malformed JSON) and express's URIError (bad percent
 * encoding in a path parameter) into a bare BadRequestException before filters see them; our
 * own validation never throws one (the ValidationPipe throws ValidationFailed).
 */
function fromNestBadRequest(exception: BadRequestException): HttpErrorBody {
  const detail = exception.message;
  const error: FieldError = /decode param/i.test(detail)
    ? { field: 'path', reason: `is not valid percent-encoding (${detail})` }
    : { field: 'body', reason: `is not valid JSON (${detail})` };
  return {
    statusCode: HttpStatus.BAD_REQUEST,
    code: 'VALIDATION_FAILED',
    message: `${error.field}: ${error.reason}`,
    errors: [error],
  };
}

function codeForStatus(status: number): ErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 503) return 'RUNTIME_UNAVAILABLE';
  if (status === 502) return 'RUNTIME_ERROR';
  if (status >= 400 && status < 500) return 'VALIDATION_FAILED';
  return 'INTERNAL';
}
