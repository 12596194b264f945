import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_HEARTBEAT_MISSES } from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { RuntimeRepository } from '../../../registry/runtime.repository';

/** Marks agents UNREACHABLE once DEFAULT_HEARTBEAT_MISSES heartbeats in a row are missing. */
@Injectable()
export class SweepUnreachableRuntimesUseCase {
  constructor(
    @Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute(request: { heartbeatIntervalMs: number }): Promise<string[]> {
    const cutoff = new Date(
      this.clock.now().getTime() - DEFAULT_HEARTBEAT_MISSES * request.heartbeatIntervalMs,
    );
    return this.runtimes.markUnreachableSeenBefore('edge', cutoff);
  }
}
