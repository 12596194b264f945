/**
 * What the runner adds to a stateful rule's checkpoint so a crash at any point resumes
 * exactly: the outbox not yet known to be published, and the fingerprints of the inputs the
 * state absorbed but that were not acked yet (RabbitMQ will redeliver them).
 * The snapshot a stop returns carries none of it: by then all is published and acked.
 */
import type { RuleSnapshot } from '@ruleshift/contracts';
import { outboxFromJson, type OutboxEntryJson, type OutboxMessage } from './outbox';

export interface UnackedInputJson {
  input: number;
  /** `[fingerprint, count]` pairs (see body-fingerprint.ts). */
  fingerprints: [number, number][];
}

export interface CheckpointedSnapshot extends RuleSnapshot {
  /** Number of this checkpoint in the rule's life; part of output message ids. */
  checkpoint?: number;
  outbox?: OutboxEntryJson[];
  unackedInputs?: UnackedInputJson[];
}

export interface DeliveryState {
  /** Absent when the snapshot came from elsewhere (a move, Flink, an older agent). */
  checkpoint?: number;
  outbox: OutboxMessage[];
  unacked: Map<number, [number, number][]>;
}

export function deliveryStateOf(snapshot: RuleSnapshot | undefined): DeliveryState {
  const extended = (snapshot ?? {}) as Partial<CheckpointedSnapshot>;
  const unacked = new Map<number, [number, number][]>();
  if (Array.isArray(extended.unackedInputs)) {
    for (const entry of extended.unackedInputs) {
      if (typeof entry?.input !== 'number' || !Array.isArray(entry.fingerprints)) continue;
      unacked.set(
        entry.input,
        entry.fingerprints.filter(
          (pair): pair is [number, number] =>
            Array.isArray(pair) && typeof pair[0] === 'number' && typeof pair[1] === 'number',
        ),
      );
    }
  }
  return {
    checkpoint: typeof extended.checkpoint === 'number' ? extended.checkpoint : undefined,
    outbox: outboxFromJson(extended.outbox),
    unacked,
  };
}

/**
 * The snapshot without the outbox and fingerprints (for stop, moves and Flink); the checkpoint
 * number stays so message ids keep increasing across restarts.
 */
export function withoutDeliveryState(snapshot: RuleSnapshot): RuleSnapshot {
  const { outbox, unackedInputs, ...plain } = snapshot as CheckpointedSnapshot;
  void outbox;
  void unackedInputs;
  return plain;
}
