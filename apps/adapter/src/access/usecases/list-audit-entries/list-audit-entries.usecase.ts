import { Inject, Injectable } from '@nestjs/common';
import { ValidationFailed, type AuditPage } from '@ruleshift/contracts';
import { toAuditEntry } from '../../audit-entry-mapper';
import { AuditLogRepository } from '../../persistence/audit-log.repository';

export const MAX_AUDIT_PAGE = 500;

/** Newest first, cursor-paged by entry id (stable while new entries are appended). */
@Injectable()
export class ListAuditEntriesUseCase {
  constructor(@Inject(AuditLogRepository) private readonly audit: AuditLogRepository) {}

  async execute(request: { limit: number; before?: string }): Promise<AuditPage> {
    const limit = Number(request.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
      throw new ValidationFailed([
        { field: 'limit', reason: `must be an integer from 1 to ${MAX_AUDIT_PAGE}` },
      ]);
    }
    if (request.before !== undefined && !/^[1-9][0-9]{0,17}$/.test(String(request.before))) {
      throw new ValidationFailed([{ field: 'before', reason: 'must be an audit entry id' }]);
    }
    // One more than asked tells whether an older page exists.
    const rows = await this.audit.page(limit + 1, request.before);
    const entries = rows.slice(0, limit).map(toAuditEntry);
    return {
      entries,
      nextBefore: rows.length > limit ? entries[entries.length - 1].id : null,
    };
  }
}
