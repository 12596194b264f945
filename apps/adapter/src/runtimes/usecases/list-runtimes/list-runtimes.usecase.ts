import { Inject, Injectable } from '@nestjs/common';
import type { RuntimeInfo } from '@ruleshift/contracts';
import { RuntimeRepository } from '../../../registry/runtime.repository';

@Injectable()
export class ListRuntimesUseCase {
  constructor(@Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository) {}

  async execute(_request: Record<string, never> = {}): Promise<RuntimeInfo[]> {
    return (await this.runtimes.list()).map((r) => ({
      runtime: r.kind,
      targetResource: r.targetResource,
      health: r.health,
      ...(r.lastSeenAt ? { lastSeenAt: new Date(r.lastSeenAt).toISOString() } : {}),
      details: {
        ...r.details,
        ...(r.startedAt ? { startedAt: new Date(r.startedAt).toISOString() } : {}),
      },
    }));
  }
}
