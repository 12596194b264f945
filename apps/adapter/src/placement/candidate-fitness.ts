import { Inject, Injectable } from '@nestjs/common';
import { placementOf, type ResolvedPlacementPolicy } from '@ruleshift/contracts';
import { DriverRegistry } from '../drivers/driver-registry';
import type { JobEntity } from '../registry/entities/job.entity';
import { TEMPLATE_CATALOG } from '../shared/tokens';
import type { TemplateCatalogPort } from '../shared/template-catalog-port';

/**
 * Which of a policy's candidates a rule cannot be moved to, and why: a runtime its template
 * has no implementation for or this adapter has no driver for, or, for a stateful rule without
 * `dropState`, one its window state cannot reach: any target once the runtime holding the state
 * is lost, or a runtime whose driver cannot take it (today every driver takes the neutral
 * snapshot, Flink included, so between live runtimes none is excluded for its state).
 */
@Injectable()
export class CandidateFitness {
  constructor(
    @Inject(TEMPLATE_CATALOG) private readonly catalog: TemplateCatalogPort,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
  ) {}

  unfit(
    job: JobEntity,
    policy: ResolvedPlacementPolicy,
    sourceLost: boolean,
  ): Record<string, string> {
    const template = this.catalog.get(job.jobType);
    const unfit: Record<string, string> = {};
    for (const candidate of policy.candidates) {
      const { runtime } = placementOf(candidate);
      if (!template.runtimes.includes(runtime)) {
        unfit[candidate] = `template ${job.jobType} does not run on ${runtime}`;
      } else if (!this.drivers.has(runtime) || !this.drivers.has(job.runtime)) {
        unfit[candidate] = `runtime ${runtime} is not enabled on this adapter`;
      } else if (template.stateful && !policy.dropState) {
        if (sourceLost) {
          unfit[candidate] = 'the window state is on the lost runtime (dropState is false)';
        } else if (
          !this.drivers.get(job.runtime).canCarryState(runtime) ||
          !this.drivers.get(runtime).canCarryState(job.runtime)
        ) {
          unfit[candidate] =
            `window state cannot move from ${job.runtime} to ${runtime} (dropState is false)`;
        }
      }
    }
    return unfit;
  }
}
