import { Injectable } from '@nestjs/common';

export interface RefusedCount {
  count: number;
  lastReason: string;
  lastAt: string;
}

/**
 * Heartbeats and replies the adapter refused, per claimed agent id (the MAX_REFUSED_IDS latest
 * new ids), since this adapter started: shown by GET /api/runtimes (each refusal is also logged). The claimed id is only a
 * label, not a proof: the point is to see that someone speaks for an agent it is not.
 */
/** Claimed ids kept per kind: a forger inventing ids must not grow the adapter's memory. */
export const MAX_REFUSED_IDS = 1000;

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
    if (!previous && map.size >= MAX_REFUSED_IDS) {
      // The id refused longest ago makes room (a Map iterates in insertion order).
      map.delete(map.keys().next().value as string);
    }
    map.set(agentId, {
      count: (previous?.count ?? 0) + 1,
      lastReason: reason,
      lastAt: at.toISOString(),
    });
  }
}
