import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * Nest's boot chatter: a line per module loaded and per route mapped (about fifty for npm
 * start), printed before the lines a newcomer needs (where it listens, the admin token).
 */
const BOOT_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Nest's console logger without its boot chatter at `log` level; warnings and errors stay. */
export class QuietBootLogger extends ConsoleLogger {
  constructor(logLevels: LogLevel[]) {
    super({ logLevels });
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && BOOT_CHATTER.has(context)) return;
    super.log(message, ...optionalParams);
  }
}
