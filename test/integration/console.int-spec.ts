/**
 * The web console in Chromium, served by the proxy of proxy + adapter + agents `local` and
 * `gw2` as separate processes on RabbitMQ and PostgreSQL: the same scenario as against npm
 * start (test/console/support/console-scenario.ts).
 */
import { describeConsole } from '../console/support/console-scenario';
import { separateProcessesTarget } from './support/test-system';

describeConsole('web console (Chromium, separate processes on RabbitMQ and PostgreSQL)', () =>
  separateProcessesTarget(['local', 'gw2']),
);
