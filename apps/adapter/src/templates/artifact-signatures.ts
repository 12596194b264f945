import { signArtifact, type SigningKey } from '@ruleshift/identity';
import type { ArtifactRef } from '@ruleshift/contracts';
import type { TemplateCatalogPort } from '../shared/template-catalog-port';

const keyOf = (ref: Pick<ArtifactRef, 'jobType' | 'version' | 'sha256'>): string =>
  `${ref.jobType}\n${ref.version}\n${ref.sha256}`;

/**
 * The adapter's signature over each catalog artifact's (jobType, version, sha256), made once
 * when the catalog is loaded: agents check it with the pinned adapter key before they load
 * any code, so only what this adapter's catalog holds can run on them.
 */
export class ArtifactSignatures {
  private readonly signatures = new Map<string, string>();

  constructor(
    private readonly key: SigningKey,
    catalog: Pick<TemplateCatalogPort, 'list'>,
  ) {
    for (const template of catalog.list()) {
      for (const ref of Object.values(template.artifacts)) {
        if (ref) this.signatures.set(keyOf(ref), signArtifact(key, ref));
      }
    }
  }

  signatureOf(ref: ArtifactRef): string {
    const known = this.signatures.get(keyOf(ref));
    if (known) return known;
    const signature = signArtifact(this.key, ref);
    this.signatures.set(keyOf(ref), signature);
    return signature;
  }
}
