import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { RuleshiftApi } from './api/ruleshift-api';
import { parseServerUrl } from './api/server-url';
import { StepProgress, type ProgressStream } from './progress/step-progress';

export const DEFAULT_SERVER = 'http://127.0.0.1:3000';

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * What every command needs: where the API is, with which token, and where to write. Options
 * win over the environment; without either the CLI talks to `npm start` on this machine.
 */
export class CliContext {
  private cachedApi: RuleshiftApi | undefined;

  constructor(
    readonly io: CliIo,
    private readonly program: Command,
  ) {}

  api(): RuleshiftApi {
    if (!this.cachedApi) {
      const { server, token } = this.connection();
      this.cachedApi = new RuleshiftApi(server, token);
    }
    return this.cachedApi;
  }

  /** Where the API is and which token goes with it: options, then environment, then defaults. */
  connection(): { server: string; token: string | undefined } {
    const options = this.program.opts<{ server?: string; token?: string }>();
    const server = options.server
      ? parseServerUrl(options.server, '--server')
      : this.io.env.RULESHIFT_SERVER
        ? parseServerUrl(this.io.env.RULESHIFT_SERVER, 'RULESHIFT_SERVER')
        : DEFAULT_SERVER;
    const token = options.token ?? this.io.env.RULESHIFT_TOKEN ?? this.localAdminToken(server);
    return { server, token };
  }

  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A note for the human at a terminal; scripts reading stdout never see it. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  progress(): StepProgress {
    return new StepProgress(this.io.stderr);
  }

  /**
   * The admin token `npm start` keeps in its data directory, used only when the server is the
   * default local one: a token written for this machine's embedded system is never sent to a
   * server someone named.
   */
  private localAdminToken(server: string): string | undefined {
    if (server !== DEFAULT_SERVER) return undefined;
    const dataDir = this.io.env.RULESHIFT_DATA_DIR ?? join(this.io.cwd, '.data');
    try {
      return readFileSync(join(dataDir, 'admin-token'), 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  }
}
