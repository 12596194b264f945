import { signArtifact, type SigningKey } from '@ruleshift/identity';
import { NotFound, type ArtifactRef } from '@ruleshift/contracts';
import type { TemplateCatalogPort } from '../shared/template-catalog-port';

type SignedArtifact = ArtifactRef & { signature: string };

const keyOf = (ref: Pick<ArtifactRef, 'jobType' | 'version' | 'runtime'>): string =>
  `${ref.jobType}\n${ref.version}\n${ref.runtime}`;

/**
 * The adapter's signatures over each catalog artifact's (jobType, version, sha256), made once
 * when the catalog is loaded. Commands always name the artifact as it was then: a file changed
 * on disk afterwards is not signed again, so agents refuse its bytes (sha256 mismatch), and only
 * what this adapter's catalog held at start can run on them.
 */
export class ArtifactSignatures {
  private readonly signed = new Map<string, SignedArtifact>();

  constructor(key: SigningKey, catalog: Pick<TemplateCatalogPort, 'list'>) {
    for (const template of catalog.list()) {
      for (const ref of Object.values(template.artifacts)) {
        if (ref) this.signed.set(keyOf(ref), { ...ref, signature: signArtifact(key, ref) });
      }
    }
  }

  /** The artifact as signed at load; NOT_FOUND for one the catalog did not hold then. */
  signedArtifact(ref: ArtifactRef): SignedArtifact {
    const signed = this.signed.get(keyOf(ref));
    if (!signed) {
      throw new NotFound(
        'headers.jobType',
        `artifact ${ref.jobType} ${ref.version} (${ref.runtime}) was not in the catalog the adapter signed at start`,
      );
    }
    return { ...signed };
  }
}
