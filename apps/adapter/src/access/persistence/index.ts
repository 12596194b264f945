import { ApiTokenEntity } from './api-token.entity';
import { AuditEntryEntity } from './audit-entry.entity';

export { ApiAccess1767400000000 } from './1767400000000-api-access';

export const ACCESS_ENTITIES = [ApiTokenEntity, AuditEntryEntity];
