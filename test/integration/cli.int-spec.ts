/**
 * The `ruleshift` CLI as a process against proxy + adapter + agents `local` and `gw2` as
 * separate processes on RabbitMQ and PostgreSQL: the same scenario as against npm start
 * (test/cli/support/cli-scenario.ts).
 */
import { describeCli } from '../cli/support/cli-scenario';
import { separateProcessesTarget } from './support/test-system';

describeCli('ruleshift CLI (process, separate processes on RabbitMQ and PostgreSQL)', () =>
  separateProcessesTarget(['local', 'gw2']),
);
