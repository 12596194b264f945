import { ValidationFailed, type RuleConfig } from '@ruleshift/contracts';

/**
 * Bounds on what one job may store, so the registry cannot grow without limit from one client:
 * a reason (failure or history) is cut to MAX_REASON_CHARS, a job keeps its newest
 * MAX_HISTORY_PER_JOB status changes, and a rendered config larger than MAX_CONFIG_BYTES is
 * refused at install.
 */
export const MAX_REASON_CHARS = 2000;
export const MAX_HISTORY_PER_JOB = 100;
export const MAX_CONFIG_BYTES = 64 * 1024;

export function boundReason(reason: string): string;
export function boundReason(reason: string | null): string | null;
export function boundReason(reason: string | null): string | null {
  if (reason === null || reason.length <= MAX_REASON_CHARS) return reason;
  return `${reason.slice(0, MAX_REASON_CHARS - 1)}…`;
}

/** 400 naming jobProps (the part a client controls) when the rendered config is too large. */
export function requireStorableConfig(config: RuleConfig): void {
  const bytes = Buffer.byteLength(JSON.stringify(config), 'utf8');
  if (bytes > MAX_CONFIG_BYTES) {
    throw new ValidationFailed([
      {
        field: 'jobProps',
        reason: `the rendered configuration is ${bytes} bytes; at most ${MAX_CONFIG_BYTES} are stored`,
      },
    ]);
  }
}
