import type { AuditEntry } from '@ruleshift/contracts';
import type { AuditEntryEntity } from './persistence/audit-entry.entity';

export function toAuditEntry(entry: AuditEntryEntity): AuditEntry {
  return {
    id: String(entry.id),
    at: new Date(entry.at).toISOString(),
    subject: entry.subject,
    role: entry.role,
    operation: entry.operation,
    jobId: entry.jobId,
    bodyDigest: entry.bodyDigest,
    statusCode: entry.statusCode,
    clientAddress: entry.clientAddress,
  };
}
