import { Inject, Injectable } from '@nestjs/common';
import type { RuntimeInfo } from '@ruleshift/contracts';
import { RefusedTraffic, type RefusedCount } from '../../../agents/refused-traffic';
import { RuntimeRepository } from '../../../registry/runtime.repository';
import { RuntimeFigures } from '../../runtime-figures';

/**
 * Registered runtimes, with what this adapter refused in each agent's name; an agent id that
 * only ever sent refused heartbeats (never enrolled, or a forger's invention) is listed as
 * REFUSED.
 */
@Injectable()
export class ListRuntimesUseCase {
  constructor(
    @Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository,
    @Inject(RefusedTraffic) private readonly refused: RefusedTraffic,
    @Inject(RuntimeFigures) private readonly figures: RuntimeFigures,
  ) {}

  async execute(_request: Record<string, never> = {}): Promise<RuntimeInfo[]> {
    const heartbeats = this.refused.refusedHeartbeats();
    const replies = this.refused.refusedReplies();
    const refusals = (agentId: string): Record<string, RefusedCount> => ({
      ...(heartbeats.has(agentId) ? { refusedHeartbeats: heartbeats.get(agentId)! } : {}),
      ...(replies.has(agentId) ? { refusedReplies: replies.get(agentId)! } : {}),
    });
    const registered = (await this.runtimes.list()).map((r): RuntimeInfo => ({
      runtime: r.kind,
      targetResource: r.targetResource,
      health: r.health,
      ...(r.lastSeenAt ? { lastSeenAt: new Date(r.lastSeenAt).toISOString() } : {}),
      details: {
        ...r.details,
        ...(r.kind === 'edge' ? this.figures.agent(r.targetResource) : {}),
        ...(r.startedAt ? { startedAt: new Date(r.startedAt).toISOString() } : {}),
        ...(r.kind === 'edge' ? refusals(r.targetResource) : {}),
      },
    }));
    const known = new Set(
      registered.filter((r) => r.runtime === 'edge').map((r) => r.targetResource),
    );
    const onlyRefused = [...heartbeats.keys()]
      .filter((agentId) => !known.has(agentId))
      .sort()
      .map((agentId): RuntimeInfo => ({
        runtime: 'edge',
        targetResource: agentId,
        health: 'REFUSED',
        details: refusals(agentId),
      }));
    return [...registered, ...onlyRefused];
  }
}
