import type { SigningKey } from '@ruleshift/identity';

/**
 * The adapter's ed25519 key: it signs commands and artifacts, and agents pin its public half
 * at enrolment. The host loads it (ADAPTER_SIGNING_KEY_FILE, or generated under the data dir).
 */
export class AdapterSigningKey {
  constructor(readonly key: SigningKey) {}
}
