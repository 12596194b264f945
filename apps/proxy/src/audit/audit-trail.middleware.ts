import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ADAPTER_CLIENT, type AdapterClient, type AuditRecord } from '@ruleshift/contracts';
import { clientAddressOf } from '../auth/client-address';
import { principalOf } from '../auth/principal';
import { auditedJobIdOf } from './audited-job-id';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every mutating call whose caller was identified (allowed or refused with 403) once
 * its response is sent, with the final status code. Never the body or a token: a sha256 of
 * the JSON body. Calls refused with 401/429 have no identified caller; they are logged and
 * rate limited, not stored (an anonymous flood must not fill the registry).
 */
@Injectable()
export class AuditTrailMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Audit');

  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  use(request: Request, response: Response, next: NextFunction): void {
    if (MUTATING.has(request.method)) {
      const at = new Date().toISOString();
      response.once('finish', () => this.record(request, response, at));
    }
    next();
  }

  private record(request: Request, response: Response, at: string): void {
    const principal = principalOf(request);
    if (!principal) return;
    const entry: AuditRecord = {
      subject: principal.subject,
      role: principal.role,
      operation: `${request.method} ${request.originalUrl.split('?')[0]}`,
      jobId: auditedJobIdOf(request, response),
      bodyDigest: bodyDigestOf(request.body),
      statusCode: response.statusCode,
      clientAddress: clientAddressOf(request),
      at,
    };
    this.adapter.send('audit.record', entry).catch((error: unknown) => {
      this.logger.error(
        `audit entry lost for ${entry.operation} by ${entry.subject} (${entry.statusCode}): ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    });
  }
}

function bodyDigestOf(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'object' && Object.keys(body).length === 0 && !Array.isArray(body)) {
    return null;
  }
  return createHash('sha256').update(JSON.stringify(body), 'utf8').digest('hex');
}
