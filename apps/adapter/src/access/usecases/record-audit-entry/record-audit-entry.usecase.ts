import { Inject, Injectable } from '@nestjs/common';
import type { AuditEntry, AuditRecord } from '@ruleshift/contracts';
import { toAuditEntry } from '../../audit-entry-mapper';
import { AuditLogRepository } from '../../persistence/audit-log.repository';

/** Bounded fields: the proxy builds the record, but the registry never stores unbounded text. */
const MAX_TEXT = 512;
const bounded = (value: unknown): string => String(value).slice(0, MAX_TEXT);
const boundedOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : bounded(value);

@Injectable()
export class RecordAuditEntryUseCase {
  constructor(@Inject(AuditLogRepository) private readonly audit: AuditLogRepository) {}

  async execute(request: AuditRecord): Promise<AuditEntry> {
    const at = new Date(request.at);
    const saved = await this.audit.append({
      at: Number.isNaN(at.getTime()) ? new Date() : at,
      subject: bounded(request.subject),
      role: request.role,
      operation: bounded(request.operation),
      jobId: boundedOrNull(request.jobId),
      bodyDigest: boundedOrNull(request.bodyDigest),
      statusCode: Number.isInteger(request.statusCode) ? request.statusCode : 0,
      clientAddress: boundedOrNull(request.clientAddress),
    });
    return toAuditEntry(saved);
  }
}
