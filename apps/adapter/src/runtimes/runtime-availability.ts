import { Inject, Injectable } from '@nestjs/common';
import { NotFound, RuntimeUnavailable, type RuntimeKind } from '@ruleshift/contracts';
import type { RuntimeEntity } from '../registry/entities/runtime.entity';
import { RuntimeRepository } from '../registry/runtime.repository';

/** A job may only be placed on a registered runtime that is not known to be down. */
@Injectable()
export class RuntimeAvailability {
  constructor(@Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository) {}

  async requireReachable(
    kind: RuntimeKind,
    targetResource: string,
    field: string,
  ): Promise<RuntimeEntity> {
    const runtime = await this.runtimes.find(kind, targetResource);
    if (!runtime) {
      throw new NotFound(field, `no ${kind} runtime named ${targetResource} is registered`);
    }
    if (runtime.health === 'REFUSED') {
      throw new RuntimeUnavailable(field, `${kind} runtime ${targetResource} is revoked`);
    }
    if (runtime.health === 'UNREACHABLE') {
      throw new RuntimeUnavailable(field, `${kind} runtime ${targetResource} is unreachable`);
    }
    return runtime;
  }
}
