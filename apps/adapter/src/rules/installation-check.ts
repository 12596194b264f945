import { Inject, Injectable } from '@nestjs/common';
import {
  ValidationFailed,
  connectorNameErrors,
  type InstallationObject,
  type PlacementPolicy,
  type TemplateInfo,
} from '@ruleshift/contracts';
import type { BrokerRegistry } from '@ruleshift/broker';
import { BROKER_REGISTRY, TEMPLATE_CATALOG } from '../shared/tokens';
import type { TemplateCatalogPort } from '../shared/template-catalog-port';
import { DriverRegistry } from '../drivers/driver-registry';
import { PlacementCheck } from '../placement/placement-check';
import { RuntimeAvailability } from '../runtimes/runtime-availability';
import { partitioningErrors } from './partitioning-check';

export interface CheckedInstallation {
  template: TemplateInfo;
  /** Resolved once for both engines: defaults applied, one field-addressing rule. */
  jobProps: Record<string, unknown>;
  /** The installation's placement policy, checked; undefined when it has none (manual). */
  placement?: PlacementPolicy;
}

/**
 * Everything an install checks before it touches anything: the template and its runtime, the
 * jobProps, the connector endpoints and names, the placement policy, the target runtime. Shared by `/api/install`
 * and pipeline creation, which checks every stage before it installs the first.
 */
@Injectable()
export class InstallationCheck {
  constructor(
    @Inject(TEMPLATE_CATALOG) private readonly catalog: TemplateCatalogPort,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerRegistry,
    @Inject(RuntimeAvailability) private readonly availability: RuntimeAvailability,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
    @Inject(PlacementCheck) private readonly placementCheck: PlacementCheck,
  ) {}

  async check(request: InstallationObject): Promise<CheckedInstallation> {
    const { runtime, targetResource, jobType } = request.headers;
    const template = this.catalog.resolve(jobType, runtime);
    const jobProps = this.catalog.resolveJobProps(jobType, request.jobProps);
    this.validateEndpoints(request);
    // The proxy checks names too; this is the check every caller of the adapter meets.
    const nameErrors = connectorNameErrors(request.jobConfig.connectors);
    if (nameErrors.length > 0) throw new ValidationFailed(nameErrors);
    const partitioning = partitioningErrors(request, template);
    if (partitioning.length > 0) throw new ValidationFailed(partitioning);
    const placement =
      request.placement === undefined
        ? undefined
        : this.placementCheck.check(request.placement, 'placement', request.headers);
    this.drivers.get(runtime);
    await this.availability.requireReachable(runtime, targetResource, 'headers.targetResource');
    return { template, jobProps, ...(placement ? { placement } : {}) };
  }

  private validateEndpoints(request: InstallationObject): void {
    const connectors = request.jobConfig.connectors;
    const prefix = 'jobConfig.connectors';
    this.brokers.validateEndpoint(connectors.inputEndpoint, `${prefix}.inputEndpoint`);
    this.brokers.validateEndpoint(connectors.outputEndpoint, `${prefix}.outputEndpoint`);
    if (connectors.secondInput) {
      this.brokers.validateEndpoint(
        connectors.secondInput.endpoint,
        `${prefix}.secondInput.endpoint`,
      );
    }
  }
}
