import type { Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { REGISTRY_DATA_SOURCE } from '../shared/tokens';
import { AccessUseCases } from './access-use-cases';
import { ApiTokenRepository, TypeormApiTokenRepository } from './persistence/api-token.repository';
import { AuditLogRepository, TypeormAuditLogRepository } from './persistence/audit-log.repository';
import { CreateApiTokenUseCase } from './usecases/create-api-token/create-api-token.usecase';
import { ListApiTokensUseCase } from './usecases/list-api-tokens/list-api-tokens.usecase';
import { ListAuditEntriesUseCase } from './usecases/list-audit-entries/list-audit-entries.usecase';
import { RecordAuditEntryUseCase } from './usecases/record-audit-entry/record-audit-entry.usecase';
import { RevokeApiTokenUseCase } from './usecases/revoke-api-token/revoke-api-token.usecase';
import { VerifyApiTokenUseCase } from './usecases/verify-api-token/verify-api-token.usecase';

/** API keys and the audit log: the registry side of the proxy's authentication. */
export const ACCESS_PROVIDERS: Provider[] = [
  {
    provide: ApiTokenRepository,
    useFactory: (ds: DataSource) => new TypeormApiTokenRepository(ds),
    inject: [REGISTRY_DATA_SOURCE],
  },
  {
    provide: AuditLogRepository,
    useFactory: (ds: DataSource) => new TypeormAuditLogRepository(ds),
    inject: [REGISTRY_DATA_SOURCE],
  },
  CreateApiTokenUseCase,
  ListApiTokensUseCase,
  RevokeApiTokenUseCase,
  VerifyApiTokenUseCase,
  RecordAuditEntryUseCase,
  ListAuditEntriesUseCase,
  AccessUseCases,
];
