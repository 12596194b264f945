import { z } from 'zod';

export const DEFAULT_PLACEMENT_INTERVAL_MS = 5_000;

/**
 * The placement service's environment, one definition for every process that runs an adapter
 * (the adapter's own and `npm start`'s), so both validate it the same way at boot.
 */
export const PLACEMENT_ENV_SHAPE = {
  /** How often the placement service samples auto rules and decides. */
  PLACEMENT_INTERVAL_MS: z.coerce.number().int().min(100).default(DEFAULT_PLACEMENT_INTERVAL_MS),
};
