import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { tap, type Observable } from 'rxjs';
import { rememberAuditedJobId } from './audited-job-id';

/** Hands the jobId a handler answered (a new install's) to the audit trail. */
@Injectable()
export class AuditJobIdInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next
      .handle()
      .pipe(
        tap((result) => rememberAuditedJobId(response, (result as { jobId?: unknown })?.jobId)),
      );
  }
}
