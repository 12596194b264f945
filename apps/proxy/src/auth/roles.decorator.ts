import { SetMetadata } from '@nestjs/common';
import type { ApiRole } from '@ruleshift/contracts';

export const REQUIRED_ROLE = 'ruleshift:required-role';

/** The least role a route needs. A route of a guarded controller without it needs admin. */
export const Roles = (role: ApiRole) => SetMetadata(REQUIRED_ROLE, role);

/** No token needed (liveness only). */
export const Public = () => SetMetadata(REQUIRED_ROLE, 'public');
