/** One line per lifecycle event; the process decides where lines go (stdout in main.ts). */
export interface AgentLogger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: AgentLogger = { info: () => undefined, warn: () => undefined };

/** `<iso time> <level> agent <event> {json fields}`: greppable, one line each. */
export class LineLogger implements AgentLogger {
  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  info(event: string, fields?: Record<string, unknown>): void {
    this.write(this.format('INFO', event, fields));
  }

  warn(event: string, fields?: Record<string, unknown>): void {
    this.write(this.format('WARN', event, fields));
  }

  private format(level: string, event: string, fields?: Record<string, unknown>): string {
    const tail = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    return `${this.now().toISOString()} ${level} agent ${event}${tail}`;
  }
}
