import type { ArtifactRef } from '@ruleshift/contracts';
import type { SigningKey, VerifyKey } from './ed25519-keys';

type SignedFields = Pick<ArtifactRef, 'jobType' | 'version' | 'sha256'>;

/** What an artifact signature covers; the prefix keeps it from ever passing as another message. */
export function artifactSigningText(artifact: SignedFields): string {
  return `ruleshift.artifact/v1\n${artifact.jobType}\n${artifact.version}\n${artifact.sha256.toLowerCase()}`;
}

export function signArtifact(key: SigningKey, artifact: SignedFields): string {
  return key.sign(artifactSigningText(artifact));
}

export function artifactSignatureValid(
  key: VerifyKey,
  artifact: SignedFields,
  signature: unknown,
): boolean {
  return (
    typeof signature === 'string' &&
    typeof artifact.jobType === 'string' &&
    typeof artifact.version === 'string' &&
    typeof artifact.sha256 === 'string' &&
    key.verify(artifactSigningText(artifact), signature)
  );
}
