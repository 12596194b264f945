import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  isApiRole,
  ValidationFailed,
  type ApiTokenInfo,
  type CreateApiTokenRequest,
  type FieldError,
} from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { toApiTokenInfo } from '../../api-token-mapper';
import { ApiTokenRepository } from '../../persistence/api-token.repository';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Stores a key the proxy minted. The proxy validated the body; this guards the registry. */
@Injectable()
export class CreateApiTokenUseCase {
  constructor(
    @Inject(ApiTokenRepository) private readonly tokens: ApiTokenRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: CreateApiTokenRequest): Promise<ApiTokenInfo> {
    const errors: FieldError[] = [];
    if (typeof request.name !== 'string' || request.name.trim() === '') {
      errors.push({ field: 'name', reason: 'must be a non-empty string' });
    }
    if (!isApiRole(request.role)) {
      errors.push({ field: 'role', reason: 'must be one of viewer, operator, admin' });
    }
    if (typeof request.secretHash !== 'string' || !SHA256_HEX.test(request.secretHash)) {
      errors.push({ field: 'secretHash', reason: 'must be a hex sha256' });
    }
    const expiresAt = request.expiresAt ? new Date(request.expiresAt) : null;
    if (expiresAt && Number.isNaN(expiresAt.getTime())) {
      errors.push({ field: 'expiresAt', reason: 'must be an ISO 8601 date-time' });
    }
    if (errors.length > 0) throw new ValidationFailed(errors);
    const token = {
      id: randomUUID(),
      name: request.name,
      role: request.role,
      secretHash: request.secretHash,
      createdBy: request.createdBy,
      createdAt: this.clock.now(),
      lastUsedAt: null,
      expiresAt,
      revokedAt: null,
    };
    await this.tokens.insert(token);
    return toApiTokenInfo(token);
  }
}
