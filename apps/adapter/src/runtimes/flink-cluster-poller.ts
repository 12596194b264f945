import { Logger } from '@nestjs/common';
import { redactUrl } from '@ruleshift/broker';
import type { Clock } from '../shared/clock';
import type { ActiveDuty } from '../leadership/active-duty';
import type { ReconcileFlinkClusterUseCase } from './usecases/reconcile-flink-cluster/reconcile-flink-cluster.usecase';

/**
 * Runs Flink reconciliation on a timer, as HeartbeatListener runs the agents' side on their
 * heartbeats: an active duty of the adapter. Checks once at start (so the cluster is registered
 * before the first install), then every interval; rounds never overlap, so a slow cluster
 * delays the next round instead of doubling it.
 */
export class FlinkClusterPoller implements ActiveDuty {
  readonly name = 'Flink cluster poller';
  private readonly logger = new Logger(FlinkClusterPoller.name);
  private cancelTimer: (() => void) | null = null;
  private round: Promise<void> = Promise.resolve();

  constructor(
    private readonly reconcile: ReconcileFlinkClusterUseCase,
    private readonly clock: Pick<Clock, 'every'>,
    private readonly intervalMs: number,
  ) {}

  async start(): Promise<void> {
    await this.roundSafely();
    this.cancelTimer?.();
    this.cancelTimer = this.clock.every(this.intervalMs, () => {
      this.round = this.round.then(() => this.roundSafely());
    });
  }

  async stop(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    await this.round;
  }

  private async roundSafely(): Promise<void> {
    try {
      await this.reconcile.execute();
    } catch (error) {
      this.logger.error(`Flink cluster check failed: ${redactUrl(String(error))}`);
    }
  }
}
