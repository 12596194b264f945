import { Inject, Injectable } from '@nestjs/common';
import { CreateApiTokenUseCase } from './usecases/create-api-token/create-api-token.usecase';
import { ListApiTokensUseCase } from './usecases/list-api-tokens/list-api-tokens.usecase';
import { ListAuditEntriesUseCase } from './usecases/list-audit-entries/list-audit-entries.usecase';
import { RecordAuditEntryUseCase } from './usecases/record-audit-entry/record-audit-entry.usecase';
import { RevokeApiTokenUseCase } from './usecases/revoke-api-token/revoke-api-token.usecase';
import { VerifyApiTokenUseCase } from './usecases/verify-api-token/verify-api-token.usecase';

/** The `tokens.*` and `audit.*` use cases, handed to the transport handlers as one group. */
@Injectable()
export class AccessUseCases {
  constructor(
    @Inject(CreateApiTokenUseCase) readonly createToken: CreateApiTokenUseCase,
    @Inject(ListApiTokensUseCase) readonly listTokens: ListApiTokensUseCase,
    @Inject(RevokeApiTokenUseCase) readonly revokeToken: RevokeApiTokenUseCase,
    @Inject(VerifyApiTokenUseCase) readonly verifyToken: VerifyApiTokenUseCase,
    @Inject(RecordAuditEntryUseCase) readonly recordAudit: RecordAuditEntryUseCase,
    @Inject(ListAuditEntriesUseCase) readonly listAudit: ListAuditEntriesUseCase,
  ) {}
}
