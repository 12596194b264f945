import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * TypeORM's deep-partial type cannot follow jsonb columns typed with `unknown` (RuleSnapshot,
 * details); the values are plain JSON, so the cast is safe.
 */
export const row = <T>(value: unknown): QueryDeepPartialEntity<T> =>
  value as QueryDeepPartialEntity<T>;
