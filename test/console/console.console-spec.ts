/**
 * The web console end to end, in the machine's Chromium against the embedded `npm start` with a
 * second agent `gw2` (the scenario: support/console-scenario.ts).
 */
import { embeddedTarget } from '../support/embedded-http';
import { describeConsole } from './support/console-scenario';

describeConsole('web console (Chromium, embedded npm start)', () => embeddedTarget(['gw2']));
