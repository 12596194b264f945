import type { Request } from 'express';
import type { ApiRole } from '@ruleshift/contracts';

/** Who made a request, once a token was verified. */
export interface Principal {
  /** `key:<id>` for an API key, `jwt:<sub>` for an OIDC token, `bootstrap-admin`. */
  subject: string;
  role: ApiRole;
}

type AuthenticatedRequest = Request & { ruleshiftPrincipal?: Principal };

export function principalOf(request: Request): Principal | undefined {
  return (request as AuthenticatedRequest).ruleshiftPrincipal;
}

export function setPrincipal(request: Request, principal: Principal): void {
  (request as AuthenticatedRequest).ruleshiftPrincipal = principal;
}
