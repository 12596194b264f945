import { ValidationFailed } from '@ruleshift/contracts';

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * Job ids, job types, versions and hashes become file names under the data dir: refuse
 * anything that could climb out of it (`..`, slashes) before it reaches the filesystem.
 */
export function assertSafeName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SAFE.test(value) || value.includes('..')) {
    throw new ValidationFailed([
      { field, reason: 'must be 1-200 characters of letters, digits, ".", "_" or "-"' },
    ]);
  }
  return value;
}
