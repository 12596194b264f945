import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import {
  Forbidden,
  roleAllows,
  TooManyRequests,
  Unauthenticated,
  type ApiRole,
} from '@ruleshift/contracts';
import { BearerTokenVerifier } from './bearer-token-verifier';
import { clientAddressOf } from './client-address';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { setPrincipal } from './principal';
import { REQUIRED_ROLE } from './roles.decorator';

const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;

/**
 * Every route of a controller that uses it needs a bearer token with at least the role its
 * `@Roles()` names (admin when it names none: a forgotten annotation fails closed). 401
 * without or with a bad token, 403 with a role too low, 429 for an address that failed too
 * often. Errors go through the global filter like every other error.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(BearerTokenVerifier) private readonly verifier: BearerTokenVerifier,
    @Inject(FailedAuthLimiter) private readonly limiter: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const needed =
      this.reflector.getAllAndOverride<ApiRole | 'public' | undefined>(REQUIRED_ROLE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'admin';
    if (needed === 'public') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const address = clientAddressOf(request);

    const blockedFor = await this.limiter.retryAfter(address);
    if (blockedFor !== null) throw this.tooMany(response, blockedFor);

    const header = request.headers.authorization;
    const match = header === undefined ? null : BEARER.exec(header);
    const verification = !header
      ? { rejected: 'is missing: send "Authorization: Bearer <token>"' }
      : !match
        ? { rejected: 'must be "Bearer <token>"' }
        : await this.verifier.verify(match[1]);
    if ('rejected' in verification) {
      this.logger.warn(
        `${request.method} ${request.path} from ${address}: ${verification.rejected}`,
      );
      const retryAfter = await this.limiter.recordFailure(address);
      if (retryAfter !== null) throw this.tooMany(response, retryAfter);
      throw new Unauthenticated(verification.rejected);
    }
    const { principal } = verification;
    setPrincipal(request, principal);
    if (!roleAllows(principal.role, needed)) {
      throw new Forbidden(`role ${principal.role} may not do this: it needs ${needed}`);
    }
    return true;
  }

  private tooMany(response: Response, retryAfterSeconds: number): TooManyRequests {
    response.setHeader('Retry-After', String(retryAfterSeconds));
    return new TooManyRequests(
      `too many failed authentications from this address; retry after ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  }
}
