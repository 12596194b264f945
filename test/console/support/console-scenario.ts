/**
 * The web console end to end in the machine's Chromium (playwright-core), as one scenario run
 * against each kind of system: the embedded `npm start` (test/console) and the separate
 * processes on RabbitMQ and PostgreSQL (test/integration).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { adminApi, type SystemTarget } from '../../support/system-target';
import { launchChromium, screenshot } from './console-browser';

const CONSOLE_INDEX = join(__dirname, '..', '..', '..', 'dist', 'console', 'index.html');
const JOB_URL = /\/rules\/([0-9a-f-]{36})$/;

/**
 * The console scenario against `start()`'s system, which runs the agents `local` and `gw2`:
 * an operator logs in with a token, installs the paper's filter through the form (after the
 * API refused a missing field, shown on that field), starts it, publishes events and watches the
 * counters move, moves it to gw2, looks at runtimes, replays and purges the dead letters of bad
 * events, uninstalls it; then a pipeline's graph and a laptop-width layout.
 */
export function describeConsole(title: string, start: () => Promise<SystemTarget>): void {
  describe(title, () => {
    let system: SystemTarget;
    let browser: Browser;
    let page: Page;
    /** Uncaught errors in the page: a crash blanks a React app, so name it instead. */
    const pageErrors: string[] = [];

    beforeAll(async () => {
      if (!existsSync(CONSOLE_INDEX)) {
        throw new Error(
          `${CONSOLE_INDEX} is missing: run npm run build (npm run test:console does)`,
        );
      }
      system = await start();
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(30_000);
      page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
    });
    afterAll(async () => {
      // The last page seen, to read a failure by (CI keeps the workspace's tmp files).
      await page?.screenshot({
        path: join(tmpdir(), 'ruleshift-console-last.png'),
        fullPage: true,
      });
      if (pageErrors.length > 0) console.error(`errors in the page:\n${pageErrors.join('\n')}`);
      if (failed) console.log(system?.logs());
      await browser?.close();
      await system?.close();
    });

    let failed = false;
    afterEach(() => {
      const state = expect.getState();
      if (state.assertionCalls !== state.numPassingAsserts) failed = true;
    });
    const api = (method: string, path: string, body?: unknown) =>
      adminApi(system, method, path, body);

    const publish = async (events: unknown[]) => {
      const answer = await api('POST', '/api/events/sensors/temperature', events);
      expect(answer).toEqual({ status: 202, json: { published: events.length } });
    };
    const counter = (testId: string, value: string) =>
      page
        .getByTestId(testId)
        .filter({ hasText: new RegExp(`^${value}$`) })
        .waitFor();
    const operation = (text: string) =>
      page.getByTestId('operation').filter({ hasText: text }).waitFor();
    const nav = (name: string) =>
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
    const confirmIn = (buttonName: string) =>
      page.getByRole('dialog').getByRole('button', { name: buttonName, exact: true }).click();

    it('installs, starts, feeds, moves and uninstalls a filter rule', async () => {
      // Log in: a wrong token is refused on the field, the right one is kept for the session.
      await page.goto(system.url);
      await screenshot(page, 'login');
      await page.getByLabel('Token').fill('not-the-token-0123456789abcdef');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.locator('#token-error').filter({ hasText: 'headers.authorization' }).waitFor();
      await page.getByLabel('Token').fill(system.adminToken);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('No rules yet.').waitFor();
      expect(await page.evaluate("sessionStorage.getItem('ruleshift.token')")).toBe(
        system.adminToken,
      );

      // Install through the generated form; fieldName left out first.
      await page.getByRole('link', { name: 'Install a rule' }).click();
      await page.getByLabel('Template (jobType)').selectOption('filter');
      await page.getByLabel('Target (agent or cluster)').selectOption('local');
      const fill = (label: string, value: string) =>
        page.getByLabel(label, { exact: true }).fill(value);
      await fill('inputExchange', 'sensors');
      await fill('inputRoutingKey', 'temperature');
      await fill('inputQueue', 'console-filter.in');
      await fill('outputExchange', 'alerts');
      await fill('outputRoutingKey', 'hot');
      await page.getByLabel('condition', { exact: true }).selectOption({ label: '>' });
      await fill('threshold', '20');
      await page.getByRole('button', { name: 'Install', exact: true }).click();
      const fieldNameError = page.locator('[data-field="jobProps.fieldName"] .field-error');
      await fieldNameError.filter({ hasText: 'is required' }).waitFor();
      expect(await page.locator('#installation-json').inputValue()).toContain('"threshold": 20');
      await screenshot(page, 'install');
      await fill('fieldName', 'temperature');
      await page.getByRole('button', { name: 'Install', exact: true }).click();
      await page.waitForURL(JOB_URL);
      const jobId = JOB_URL.exec(page.url())![1];
      await page.getByText('INSTALLED', { exact: true }).first().waitFor();

      // Start, from the keyboard: the button, then Enter confirms in the dialog.
      await page.getByRole('button', { name: 'Start', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('dialog').waitFor();
      await page.keyboard.press('Enter');
      await operation('Start done: RUNNING on edge/local');

      // Events: two above the threshold, one below, two bad ones (dead-lettered).
      await publish([
        { deviceId: 'd1', temperature: 25 },
        { deviceId: 'd1', temperature: 12 },
        { deviceId: 'd2', temperature: 31 },
        { deviceId: 'd3', humidity: 80 },
        { deviceId: 'd4', temperature: [1] },
      ]);
      await counter('events-in', '5');
      await counter('events-out', '2');
      await page.getByTestId('dead-letters-by-reason').waitFor();
      await publish([{ deviceId: 'd1', temperature: 40 }]);
      await counter('events-in', '6');
      const fedDeadLetters = process.env.CONSOLE_SCREENSHOTS_DIR ? await feedForTheCharts() : 0;
      const deadLetters = String(2 + fedDeadLetters);
      await screenshot(page, 'rule');

      // The rules table shows it, filterable.
      await nav('Rules').click();
      await page.locator(`tr[data-job-id="${jobId}"]`).getByText('RUNNING').waitFor();
      await page.getByPlaceholder('job id, type, runtime, gateway…').fill('gw2');
      await page.getByText('No rule matches this filter.').waitFor();
      await page.getByPlaceholder('job id, type, runtime, gateway…').fill('filter local');
      await page.locator(`tr[data-job-id="${jobId}"]`).waitFor();
      await screenshot(page, 'rules');

      // Move to gw2: the dialog lists it with its health and load.
      await page.locator(`tr[data-job-id="${jobId}"] a`).click();
      await page.getByRole('button', { name: 'Move', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('radio', { name: /edge\/gw2/ }).check();
      await dialog
        .getByText(/CPU .*memory/)
        .first()
        .waitFor();
      await screenshot(page, 'move-dialog');
      await confirmIn('Move to edge/gw2');
      await operation('Move to edge/gw2 done: RUNNING on edge/gw2');
      await publish([{ deviceId: 'd5', temperature: 50 }]);
      await counter('events-out', '1');

      // Placement: manual until an operator gives the rule a policy through the form; a policy
      // that leaves out where the rule is is refused on its field; a dry-run auto policy
      // preferring `local` shows its candidates, then the return it would make (not made).
      const placement = page.getByTestId('placement');
      await placement.getByText('manual (only operators move it)').waitFor();
      await placement.getByRole('button', { name: 'Edit policy' }).click();
      const policyField = placement.getByLabel(/Placement policy/);
      await policyField.fill(
        JSON.stringify({ mode: 'auto', candidates: ['edge/local', 'edge/other'] }),
      );
      await placement.getByRole('button', { name: 'Save policy' }).click();
      await placement
        .locator('#placement-policy-error')
        .filter({ hasText: /candidates.*must include the rule's placement edge\/gw2/ })
        .waitFor();
      await policyField.fill(
        JSON.stringify({
          mode: 'auto',
          candidates: ['edge/gw2', 'edge/local'],
          prefer: 'edge/local',
          dryRun: true,
          thresholds: { samples: 1, breaches: 1 },
        }),
      );
      await placement.getByRole('button', { name: 'Save policy' }).click();
      await placement.getByText('auto (dry run: decides, never moves)').waitFor();
      await placement
        .getByTestId('placement-candidates')
        .filter({ hasText: 'edge/gw2, edge/local' })
        .waitFor();
      const wouldReturn = placement
        .getByRole('table', { name: 'Placement decisions' })
        .getByRole('row')
        .filter({ hasText: 'move (return), dry run' });
      await wouldReturn.filter({ hasText: 'edge/gw2 → edge/local' }).waitFor();
      await wouldReturn.filter({ hasText: 'not moved' }).waitFor();
      await screenshot(page, 'rule-placement');
      expect((await api('GET', `/api/jobs/${jobId}`)).json).toMatchObject({
        targetResource: 'gw2',
      });

      // Runtimes: both agents; gw2's page lists the rule.
      await nav('Runtimes').click();
      await page.getByRole('link', { name: 'gw2', exact: true }).waitFor();
      await page.getByRole('link', { name: 'local', exact: true }).waitFor();
      await screenshot(page, 'runtimes');
      await page.getByRole('link', { name: 'gw2', exact: true }).click();
      await page
        .getByRole('table', { name: 'Rules on gw2' })
        .getByRole('link', { name: jobId.slice(0, 8) })
        .waitFor();
      await screenshot(page, 'runtime');

      // Dead letters of the two bad events (from before the move): by reason, with their bodies.
      await page.goto(`${system.url}/deadletters?job=${jobId}`);
      await counter('dead-letter-total', deadLetters);
      const reasons = page.getByTestId('dead-letter-reasons');
      await reasons.getByText('missing-field').waitFor();
      await reasons.getByText('wrong-type').waitFor();
      await page.getByLabel('Show').selectOption({ label: '100 most recent' });
      await page.getByRole('list', { name: 'Dead letters' }).getByText('"humidity":80').waitFor();
      await screenshot(page, 'deadletters', false);

      // Replay the oldest (no temperature) to the rule's input: gw2 dead-letters it again.
      await page.getByRole('button', { name: 'Replay', exact: true }).click();
      await confirmIn('Replay');
      await page.getByText("Replayed 1 to the rule's input.").waitFor();
      await page.getByRole('link', { name: 'Open the rule' }).click();
      await counter('events-in', '2');
      await page.getByTestId('dead-letters-by-reason').getByText('missing-field').waitFor();

      // Purge what waits (both letters again), after confirming.
      await page.getByRole('link', { name: 'Dead letters of this rule' }).click();
      await counter('dead-letter-total', deadLetters);
      await page.getByRole('button', { name: 'Purge all' }).click();
      await confirmIn('Purge');
      await page.getByText(`Purged ${deadLetters}.`).waitFor();
      await page.getByText('No dead letter is waiting for this rule.').waitFor();

      // Uninstall: confirm, then the rule is UNINSTALLED and leaves the default list.
      await page.goto(`${system.url}/rules/${jobId}`);
      await page.getByRole('button', { name: 'Uninstall', exact: true }).click();
      await confirmIn('Uninstall');
      await operation('Uninstall done: UNINSTALLED on edge/gw2');
      await nav('Rules').click();
      await page.getByText('No rule matches this filter.').waitFor();
      expect(pageErrors).toEqual([]);
    });

    it('draws a pipeline as a graph with live rates, and fits a 1024 px laptop screen', async () => {
      const created = await api('POST', '/api/pipelines', consoleOverheat());
      expect(created.status).toBe(200);
      expect((await api('POST', '/api/pipelines/console-overheat/start')).status).toBe(200);

      await nav('Pipelines').click();
      await page.getByRole('link', { name: 'console-overheat', exact: true }).click();
      const graph = page.getByRole('img', { name: 'Graph of pipeline console-overheat: 2 stages' });
      await graph.getByTestId('stage-hot').filter({ hasText: 'RUNNING' }).waitFor();
      await graph.getByTestId('stage-critical').filter({ hasText: 'edge/gw2' }).waitFor();

      // 90 and 60 pass hot (> 50); of those, 90 passes critical (>= 80).
      await publish([{ temperature: 90 }, { temperature: 60 }, { temperature: 10 }]);
      await counter('stage-in-hot', '3');
      await counter('stage-out-hot', '2');
      await counter('stage-in-critical', '2');
      await counter('stage-out-critical', '1');
      // The edge between the stages carries hot's output rate, which the console takes from two
      // of its own samples: the first batch can land before the page's first sample, so one more
      // event (70 passes hot, not critical) moves the counter after a sample of 2 was shown.
      await publish([{ temperature: 70 }]);
      await counter('stage-out-hot', '3');
      await graph
        .getByTestId('edge-hot->critical')
        .filter({ hasText: /^(?:[1-9][0-9]*(?:\.[0-9])?|0\.[1-9])\/s$/ })
        .waitFor();
      if (process.env.CONSOLE_SCREENSHOTS_DIR) await feedThePipeline();
      await screenshot(page, 'pipeline');
      await nav('Pipelines').click();
      await page.getByRole('link', { name: 'console-overheat', exact: true }).waitFor();
      await screenshot(page, 'pipelines');

      // A laptop screen: no page scrolls sideways, the navigation and the graph fit.
      await page.setViewportSize({ width: 1024, height: 768 });
      const stageJobId = (
        (await api('GET', '/api/pipelines/console-overheat')).json as {
          stages: Array<{ jobInfo: { jobId: string } }>;
        }
      ).stages[0].jobInfo.jobId;
      for (const [path, heading] of [
        ['/rules', 'Rules'],
        [`/rules/${stageJobId}`, 'filter'],
        ['/install', 'Install a rule'],
        ['/runtimes', 'Runtimes'],
        ['/runtimes/edge/gw2', 'gw2'],
        ['/pipelines', 'Pipelines'],
        ['/pipelines/console-overheat', 'console-overheat'],
        [`/deadletters?job=${stageJobId}`, 'Dead letters'],
      ]) {
        await page.goto(`${system.url}${path}`);
        await page.locator('h1').filter({ hasText: heading }).waitFor();
        const overflow = await page.evaluate(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        );
        expect({ path, overflow }).toEqual({ path, overflow: 0 });
        for (const link of ['Rules', 'Install', 'Runtimes', 'Pipelines', 'Dead letters']) {
          expect(await within(nav(link), 1024)).toBe(true);
        }
        expect(await within(page.getByRole('button', { name: 'Log out' }), 1024)).toBe(true);
      }
      await page.goto(`${system.url}/pipelines/console-overheat`);
      await graph.getByTestId('stage-critical').waitFor();
      const card = page.locator('.card').filter({ has: graph });
      const graphBox = (await graph.boundingBox())!;
      const cardBox = (await card.boundingBox())!;
      expect(graphBox.x + graphBox.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
      await screenshot(page, 'pipeline-1024');

      // The rule page's operations and the move dialog fit too.
      await page.goto(`${system.url}/rules/${stageJobId}`);
      for (const name of ['Start', 'Stop', 'Move', 'Uninstall']) {
        expect(await within(page.getByRole('button', { name, exact: true }), 1024)).toBe(true);
      }
      await page.getByRole('button', { name: 'Move', exact: true }).click();
      await page
        .getByRole('dialog')
        .getByRole('radio', { name: /edge\/gw2/ })
        .waitFor();
      expect(await within(page.getByRole('dialog'), 1024)).toBe(true);
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

      const uninstalled = await api('POST', '/api/pipelines/console-overheat/uninstall');
      expect(uninstalled.status).toBe(200);
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(pageErrors).toEqual([]);
    });

    /** Whether the element is visible and lies inside the viewport's width. */
    async function within(locator: ReturnType<Page['locator']>, width: number): Promise<boolean> {
      await locator.waitFor();
      const box = await locator.boundingBox();
      return box !== null && box.x >= 0 && box.x + box.width <= width;
    }

    /** Screenshots only: some seconds of readings, so the graph's edges show rates. */
    async function feedThePipeline(): Promise<void> {
      for (let round = 1; round <= 6; round += 1) {
        await publish(
          Array.from({ length: 10 + round * 3 }, (_, i) => ({ temperature: 40 + ((i * 13) % 60) })),
        );
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }

    /**
     * Screenshots only: some seconds of uneven traffic, so the rule page's charts have a shape.
     * Returns how many of the events were bad (dead-lettered).
     */
    async function feedForTheCharts(): Promise<number> {
      let bad = 0;
      for (let round = 1; round <= 12; round += 1) {
        const events = Array.from({ length: (round % 4) * 5 + 3 }, (_, i) => ({
          deviceId: `chart-${i}`,
          temperature: i % 7 === 0 ? 'hot' : 10 + ((i * 7) % 30),
        }));
        bad += events.filter((event) => typeof event.temperature === 'string').length;
        await publish(events);
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      }
      return bad;
    }
  });
}

/** Two stages: hot readings on the local agent, the critical ones among them on gw2. */
function consoleOverheat() {
  return {
    name: 'console-overheat',
    stages: [
      {
        name: 'hot',
        headers: { runtime: 'edge', targetResource: 'local', jobType: 'filter' },
        jobConfig: {
          connectors: {
            inputEndpoint: 'edge',
            inputExchange: 'sensors',
            inputQueue: 'console-overheat.in',
            inputRoutingKey: 'temperature',
          },
        },
        jobProps: { condition: '>', threshold: 50, fieldName: 'temperature' },
      },
      {
        name: 'critical',
        from: ['hot'],
        headers: { runtime: 'edge', targetResource: 'gw2', jobType: 'filter' },
        jobConfig: {
          connectors: {
            outputEndpoint: 'edge',
            outputExchange: 'alerts',
            outputRoutingKey: 'critical',
          },
        },
        jobProps: { condition: '>=', threshold: 80, fieldName: 'temperature' },
      },
    ],
  };
}
