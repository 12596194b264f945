import { Inject, Injectable } from '@nestjs/common';
import {
  ValidationFailed,
  candidateOf,
  placementOf,
  placementPolicyErrors,
  type PlacementPolicy,
  type RuntimeKind,
} from '@ruleshift/contracts';
import { TEMPLATE_CATALOG } from '../shared/tokens';
import type { TemplateCatalogPort } from '../shared/template-catalog-port';

/**
 * A placement policy for one rule: valid on its own (placementPolicyErrors), and its candidates
 * are places the rule's template runs and include where the rule is now, so the policy starts
 * from a placement it knows. `field` is where the policy sits in the request ('' for the body).
 */
@Injectable()
export class PlacementCheck {
  constructor(@Inject(TEMPLATE_CATALOG) private readonly catalog: TemplateCatalogPort) {}

  check(
    policy: unknown,
    field: string,
    rule: { jobType: string; runtime: RuntimeKind; targetResource: string },
  ): PlacementPolicy {
    const errors = placementPolicyErrors(policy, field);
    if (errors.length > 0) throw new ValidationFailed(errors);
    const valid = policy as PlacementPolicy;
    if (valid.mode !== 'auto' || !valid.candidates) return valid;
    const at = (name: string): string => (field ? `${field}.${name}` : name);
    const template = this.catalog.get(rule.jobType);
    valid.candidates.forEach((candidate, i) => {
      const { runtime } = placementOf(candidate);
      if (!template.runtimes.includes(runtime)) {
        errors.push({
          field: at(`candidates[${i}]`),
          reason: `template ${rule.jobType} does not run on ${runtime}`,
        });
      }
    });
    const current = candidateOf(rule.runtime, rule.targetResource);
    if (!valid.candidates.includes(current)) {
      errors.push({
        field: at('candidates'),
        reason: `must include the rule's placement ${current}`,
      });
    }
    if (errors.length > 0) throw new ValidationFailed(errors);
    return valid;
  }
}
