import {
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
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
    const request = host.switchToHttp().getRequest<Request | undefined>();
    const body = this.toBody(exception, request?.headers?.['content-encoding']);
    if (response.headersSent) {
      // A streaming response (SSE) already started: all we can do is end it.
      response.end();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown, contentEncoding?: string): HttpErrorBody {
    if (exception instanceof RuleshiftError) {
      const statusCode = HTTP_STATUS_BY_CODE[exception.code];
      if (statusCode >= 500) this.logger.warn(`${exception.code}: ${exception.message}`);
      return { statusCode, ...exception.toJSON() };
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    const bodyParserError = asBodyParserError(exception, contentEncoding);
    if (bodyParserError) return bodyParserError;
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

/**
 * Errors of reading the body (body-parser, raw-body, zlib) carry a 4xx `status`: malformed
 * JSON, too large, too deep, an unsupported charset or encoding, or a body that does not
 * decode with its Content-Encoding (zlib's and brotli's errors have no `type`).
 */
function asBodyParserError(exception: unknown, contentEncoding?: string): HttpErrorBody | null {
  const candidate = exception as {
    type?: unknown;
    status?: unknown;
    message?: unknown;
    limit?: unknown;
  } | null;
  if (typeof candidate?.status !== 'number' || candidate.status < 400 || candidate.status >= 500) {
    return null;
  }
  const reason = bodyReason(
    candidate.type,
    String(candidate.message),
    candidate.limit,
    contentEncoding,
  );
  return {
    statusCode: candidate.status,
    code: 'VALIDATION_FAILED',
    message: `body: ${reason}`,
    errors: [{ field: 'body', reason }],
  };
}

function bodyReason(
  type: unknown,
  message: string,
  limit: unknown,
  contentEncoding: string | undefined,
): string {
  switch (type) {
    case 'entity.parse.failed':
      return `is not valid JSON (${message})`;
    case 'entity.too.large':
      return `is larger than the limit of ${String(limit)} bytes`;
    case 'entity.too.deep':
      return message;
    case undefined:
      return contentEncoding
        ? `does not decode as Content-Encoding ${contentEncoding.slice(0, 40)} (${message})`
        : message;
    default:
      return message;
  }
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
