/**
 * The `ruleshift` CLI as a process against the embedded `npm start` (in-process brokers, an
 * in-memory registry, the agents `local` and `gw2`); the scenario: support/cli-scenario.ts.
 */
import { embeddedTarget } from '../support/embedded-http';
import { describeCli } from './support/cli-scenario';

describeCli('ruleshift CLI (process, embedded npm start)', () => embeddedTarget(['gw2']));
