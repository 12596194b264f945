import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { ApiRole } from '@ruleshift/contracts';

export const REQUIRED_ROLE = 'ruleshift:required-role';

/** The OpenAPI extension naming an operation's least role (read by describeErrorsAndSecurity). */
export const REQUIRED_ROLE_EXTENSION = 'x-ruleshift-role';

const requiredRole = (role: ApiRole | 'public') =>
  applyDecorators(SetMetadata(REQUIRED_ROLE, role), ApiExtension(REQUIRED_ROLE_EXTENSION, role));

/** The least role a route needs. A route of a guarded controller without it needs admin. */
export const Roles = (role: ApiRole) => requiredRole(role);

/** No token needed (liveness only). */
export const Public = () => requiredRole('public');
