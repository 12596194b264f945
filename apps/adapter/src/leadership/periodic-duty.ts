import { Logger } from '@nestjs/common';
import type { Clock } from '../shared/clock';
import type { ActiveDuty } from './active-duty';

/** An active duty that runs `task` now and then every interval; rounds never overlap. */
export class PeriodicDuty implements ActiveDuty {
  private readonly logger = new Logger(PeriodicDuty.name);
  private cancel: (() => void) | null = null;
  private round: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly clock: Pick<Clock, 'every'>,
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
  ) {}

  start(): Promise<void> {
    this.run();
    this.cancel = this.clock.every(this.intervalMs, () => this.run());
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = null;
    await this.round;
  }

  private run(): void {
    this.round = this.round.then(() =>
      this.task().catch((err: unknown) => {
        this.logger.error(
          `${this.name} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }),
    );
  }
}
