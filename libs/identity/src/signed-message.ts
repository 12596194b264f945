import type { SignedMessage } from '@ruleshift/contracts';
import type { SigningKey, VerifyKey } from './ed25519-keys';

/**
 * Signs the exact JSON text that travels: the receiver verifies those bytes before it parses
 * them, so no canonical form of JSON is needed on either side.
 */
export function signMessage(key: SigningKey, body: unknown): SignedMessage {
  const payload = JSON.stringify(body);
  return { payload, signature: key.sign(payload) };
}

export function isSignedMessage(value: unknown): value is SignedMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SignedMessage).payload === 'string' &&
    typeof (value as SignedMessage).signature === 'string'
  );
}

/** The message's payload before any check: only to learn which key to verify it with. */
export function unverifiedPayload(message: SignedMessage): unknown {
  try {
    return JSON.parse(message.payload) as unknown;
  } catch {
    return undefined;
  }
}

/** The parsed payload when `message` is signed by `key`; undefined otherwise. */
export function openSignedMessage(key: VerifyKey, message: unknown): unknown {
  if (!isSignedMessage(message)) return undefined;
  if (!key.verify(message.payload, message.signature)) return undefined;
  return unverifiedPayload(message);
}
