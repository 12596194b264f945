import { Injectable } from '@nestjs/common';

export interface RefusedCount {
  count: number;
  lastReason: string;
  lastAt: string;
}

/**
 * Heartbeats and replies the adapter refused, per claimed agent id, since this adapter
 * started: shown by GET /api/runtimes (each refusal is also logged). The claimed id is only a
 * label, not a proof: the point is to see that someone speaks for an agent it is not.
 */
@Injectable()
export class RefusedTraffic {
  private readonly heartbeats = new Map<string, RefusedCount>();
  private readonly replies = new Map<string, RefusedCount>();

  heartbeatRefused(agentId: string, reason: string, at = new Date()): void {
    this.bump(this.heartbeats, agentId, reason, at);
  }

  replyRefused(agentId: string, reason: string, at = new Date()): void {
    this.bump(this.replies, agentId, reason, at);
  }

  refusedHeartbeats(): ReadonlyMap<string, RefusedCount> {
    return this.heartbeats;
  }

  refusedReplies(): ReadonlyMap<string, RefusedCount> {
    return this.replies;
  }

  private bump(map: Map<string, RefusedCount>, agentId: string, reason: string, at: Date): void {
    const previous = map.get(agentId);
    map.set(agentId, {
      count: (previous?.count ?? 0) + 1,
      lastReason: reason,
      lastAt: at.toISOString(),
    });
  }
}
