const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

/** Where progress goes: a stream that may be a terminal. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * One line on stderr that shows the steps of a long operation as they happen, e.g.
 * `⠹ stopping on edge/local -> installing on edge/gw2`, redrawn in place. Only on a terminal:
 * piped or redirected stderr gets nothing, so scripts and logs see the result lines alone.
 */
export class StepProgress {
  private readonly steps: string[] = [];
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stream: ProgressStream) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Adds a step (a repeat of the current one is ignored) and starts the spinner. */
  step(text: string): void {
    if (this.steps[this.steps.length - 1] === text) return;
    this.steps.push(text);
    if (!this.enabled) return;
    if (!this.timer) {
      this.timer = setInterval(() => this.draw(), FRAME_MS);
      this.timer.unref();
    }
    this.draw();
  }

  /** Ends the line with the final step (e.g. `RUNNING`), or clears it when there is none. */
  finish(last?: string): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.enabled || this.steps.length === 0) return;
    const line = last ? [...this.steps, last].join(' -> ') : this.steps.join(' -> ');
    this.stream.write(`\r\x1b[2K${line}\n`);
  }

  private draw(): void {
    this.frame = (this.frame + 1) % FRAMES.length;
    this.stream.write(`\r\x1b[2K${FRAMES[this.frame]} ${this.steps.join(' -> ')}`);
  }
}
