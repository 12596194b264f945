import type { PublishOptions } from '@ruleshift/broker';

/** Every output: persistent JSON (each publish adds its message id). */
export const OUTPUT_OPTIONS: PublishOptions = Object.freeze({
  persistent: true,
  contentType: 'application/json',
});
