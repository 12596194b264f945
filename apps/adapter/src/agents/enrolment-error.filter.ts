import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { HTTP_STATUS_BY_CODE, RuleshiftError } from '@ruleshift/contracts';

/**
 * The adapter's own HTTP server has no proxy in front of it: an enrolment refusal must leave
 * as its 4xx JSON body (VALIDATION_FAILED 400, UNAUTHENTICATED 401), never as Nest's 500.
 */
@Catch(RuleshiftError)
export class EnrolmentErrorFilter implements ExceptionFilter {
  catch(error: RuleshiftError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.status(HTTP_STATUS_BY_CODE[error.code] ?? 500).json(error.toJSON());
  }
}
