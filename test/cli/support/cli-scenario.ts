/**
 * The `ruleshift` CLI as a process, as one scenario run against each kind of system: the
 * embedded `npm start` (test/cli) and the separate processes on RabbitMQ and PostgreSQL
 * (test/integration).
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { JobDetails, PipelineInfo, TemplateInfo } from '@ruleshift/contracts';
import { adminApi, type SystemTarget } from '../../support/system-target';
import { assertCliBuilt, CLI_MAIN, CliProcess, runCli } from './cli-process';

const FIXTURES = join(__dirname, '..', 'fixtures');
const ROOT = join(__dirname, '..', '..', '..');

/**
 * The CLI scenario against `start()`'s system, which runs the agents `local` and `gw2`: every
 * command, the exit codes scripts rely on, a YAML install and a pipeline apply, as an operator
 * types them.
 */
export function describeCli(title: string, start: () => Promise<SystemTarget>): void {
  describe(title, () => {
    let system: SystemTarget;
    /** An empty working directory: no `.data/admin-token` to fall back on. */
    let workDir: string;
    let viewerToken: string;
    let jobId: string;

    /** `token: null` sends none. */
    const env = (token: string | null = system.adminToken) => ({
      RULESHIFT_SERVER: system.url,
      ...(token === null ? {} : { RULESHIFT_TOKEN: token }),
    });
    const cli = (args: string[], options: { token?: string | null; stdin?: string } = {}) =>
      runCli(args, { cwd: workDir, env: env(options.token), stdin: options.stdin });
    /** A command that must succeed: its stdout, or a failure showing what it printed. */
    const ok = async (args: string[], stdin?: string): Promise<string> => {
      const run = await cli(args, { stdin });
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 0, stderr: '' });
      return run.stdout;
    };
    /** A failing command: its exit code and its one line on stderr. */
    const failure = async (args: string[], options: { token?: string | null } = {}) => {
      const run = await cli(args, options);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      return { code: run.code, line: lines[0], stdout: run.stdout };
    };
    const publish = (events: unknown[]) =>
      ok(['publish', 'cli-sensors', 'temperature', '-f', '-'], JSON.stringify(events));

    beforeAll(async () => {
      assertCliBuilt();
      workDir = await mkdtemp(join(tmpdir(), 'ruleshift-cli-'));
      system = await start();
      const created = await adminApi(system, 'POST', '/api/tokens', {
        name: 'cli-viewer',
        role: 'viewer',
      });
      viewerToken = (created.json as { token: string }).token;
    });
    afterEach(() => {
      const state = expect.getState();
      if (state.assertionCalls !== state.numPassingAsserts) console.log(system?.logs());
    });
    afterAll(async () => {
      await system?.close();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    it('runs as the package bin: npx ruleshift --help lists every command', async () => {
      const { stdout } = await promisify(execFile)('npx', ['--no-install', 'ruleshift', '--help'], {
        cwd: ROOT,
      });
      for (const command of [
        'install',
        'start',
        'stop',
        'uninstall',
        'move',
        'get',
        'describe',
        'tail',
        'publish',
        'deadletters',
        'apply',
        'completion',
      ]) {
        expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      }
    });

    it('refuses bad command lines with exit 2 before asking the server', async () => {
      expect((await cli(['frobnicate'])).code).toBe(2);
      const noFile = await cli(['install']);
      expect(noFile.code).toBe(2);
      expect(noFile.stderr).toContain("required option '-f, --file <file>' not specified");
      expect((await failure(['get', 'jobs', '-o', 'xml'])).code).toBe(2);
      expect(await failure(['get', 'gateways'])).toEqual({
        code: 2,
        line: 'error: RESOURCE: must be one of jobs, runtimes, templates, pipelines, got gateways',
        stdout: '',
      });
      expect(await failure(['install', '-f', join(FIXTURES, 'missing.yaml')])).toMatchObject({
        code: 2,
        line: expect.stringContaining('missing.yaml: no such file'),
      });
      expect(await failure(['publish', 'cli-sensors', 'x', '-f', '-'])).toEqual({
        code: 2,
        line: 'error: -f -: the file is empty',
        stdout: '',
      });
      const badYaml = join(workDir, 'bad.yaml');
      await writeFile(badYaml, 'headers:\n  runtime: edge\n   jobType: [filter\n');
      expect(await failure(['install', '-f', badYaml])).toMatchObject({
        code: 2,
        line: expect.stringMatching(/bad\.yaml: not valid YAML \(line \d+: /),
      });
    });

    it('exits 6 without a token or with a role too low, naming the authorization header', async () => {
      const none = await failure(['get', 'jobs'], { token: null });
      expect(none.code).toBe(6);
      expect(none.line).toMatch(/^error: headers\.authorization: .*\[HTTP 401 UNAUTHENTICATED\]$/);
      const wrong = await failure(['get', 'jobs'], { token: 'rs_not-a-token-0123456789abcdef' });
      expect(wrong.code).toBe(6);
      const viewer = await failure(['install', '-f', join(FIXTURES, 'filter-rule.yaml')], {
        token: viewerToken,
      });
      expect(viewer.code).toBe(6);
      expect(viewer.line).toMatch(/^error: headers\.authorization: .*\[HTTP 403 FORBIDDEN\]$/);
      // The viewer may read.
      const read = await cli(['get', 'jobs'], { token: viewerToken });
      expect(read.code).toBe(0);
    });

    it('takes --server as host:port too, and refuses a scheme that is not http(s)', async () => {
      const hostPort = system.url.replace(/^http:\/\//, '');
      const run = await runCli(['get', 'templates', '-o', 'name', '--server', hostPort], {
        cwd: workDir,
        env: { RULESHIFT_TOKEN: system.adminToken },
      });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout.split('\n')).toContain('filter');
      expect(await failure(['get', 'jobs', '--server', 'amqp://127.0.0.1'])).toEqual({
        code: 2,
        line: 'error: --server: must be an http:// or https:// URL, got amqp://127.0.0.1',
        stdout: '',
      });
    });

    it('exits 5 when the server cannot be reached', async () => {
      const closed = await closedPort();
      const server = `http://127.0.0.1:${closed}`;
      const run = await runCli(['get', 'jobs', '--server', server], { cwd: workDir });
      expect(run.code).toBe(5);
      expect(run.stderr).toBe(`error: cannot reach ${server}: ECONNREFUSED\n`);
    });

    it('lists templates and runtimes as aligned tables, JSON, YAML and names', async () => {
      const table = (await ok(['get', 'templates'])).trimEnd().split('\n');
      expect(table[0]).toMatch(/^JOB TYPE\s+VERSION\s+RUNTIMES\s+INPUTS\s+DESCRIPTION$/);
      const filterRow = table.find((line) => line.startsWith('filter '))!;
      // Aligned: every column starts where its header does.
      expect(filterRow.indexOf('1.0.0')).toBe(table[0].indexOf('VERSION'));
      expect(filterRow.indexOf('edge,flink')).toBe(table[0].indexOf('RUNTIMES'));
      const json = JSON.parse(await ok(['get', 'templates', '-o', 'json'])) as TemplateInfo[];
      expect(json.map((t) => t.jobType)).toContain('filter');
      const yaml = parseYaml(await ok(['get', 'template', '-o', 'yaml'])) as TemplateInfo[];
      expect(yaml).toEqual(json);

      expect(await ok(['get', 'runtimes', '-o', 'name'])).toBe('edge/gw2\nedge/local\n');
      const runtimes = (await ok(['get', 'runtimes'])).trimEnd().split('\n');
      expect(runtimes[0]).toMatch(
        /^RUNTIME\s+HEALTH\s+LAST SEEN\s+RULES\s+CPU\s+MEMORY\s+SLOTS FREE$/,
      );
      expect(runtimes.slice(1).map((line) => line.split(/\s+/).slice(0, 2))).toEqual([
        ['edge/gw2', 'UP'],
        ['edge/local', 'UP'],
      ]);
    });

    it('installs a rule from YAML and starts it by the first characters of its id', async () => {
      expect(await cli(['get', 'jobs'])).toEqual({ code: 0, stdout: '', stderr: 'No jobs.\n' });
      jobId = (
        await ok(['install', '-f', join(FIXTURES, 'filter-rule.yaml'), '-o', 'name'])
      ).trim();
      expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
      const jobs = (await ok(['get', 'jobs'])).trimEnd().split('\n');
      expect(jobs[0]).toMatch(/^JOB ID\s+TYPE\s+PLACEMENT\s+STATUS\s+IN\s+OUT\s+DEAD\s+CHANGED$/);
      expect(jobs[1].split(/\s+/).slice(0, 4)).toEqual([
        jobId,
        'filter',
        'edge/local',
        'INSTALLED',
      ]);

      const started = await ok(['start', jobId.slice(0, 8)]);
      expect(started.split('\n')[1].split(/\s+/).slice(0, 4)).toEqual([
        jobId,
        'filter',
        'edge/local',
        'RUNNING',
      ]);
      // Started again: 409 is exit 4, naming the field.
      expect(await failure(['start', jobId])).toEqual({
        code: 4,
        line: expect.stringMatching(/^error: jobStatus: .*RUNNING.* \[HTTP 409 CONFLICT\]$/),
        stdout: '',
      });
    });

    it('refuses an invalid installation with exit 2, naming the field', async () => {
      const rule = parseYaml(await readFile(join(FIXTURES, 'filter-rule.yaml'), 'utf8')) as {
        jobProps: Record<string, unknown>;
        jobConfig: { connectors: Record<string, unknown> };
      };
      rule.jobProps.condition = '!=';
      rule.jobConfig.connectors.inputQueue = 'cli-refused.in';
      const file = join(workDir, 'refused.json');
      await writeFile(file, JSON.stringify(rule));
      const refused = await failure(['install', '-f', file]);
      expect(refused.code).toBe(2);
      expect(refused.line).toMatch(
        /^error: jobProps\.condition: must be one of .* \[HTTP 400 VALIDATION_FAILED\]$/,
      );
    });

    it('tails an exchange while events are published, one JSON per line', async () => {
      const tail = new CliProcess(['tail', 'cli-alerts', 'hot', '--count', '2'], {
        cwd: workDir,
        env: env(),
      });
      await tail.waitFor('stderr', 'tailing cli-alerts hot');
      const events = join(workDir, 'events.yaml');
      await writeFile(
        events,
        '- { deviceId: d1, temperature: 25 }\n- { deviceId: d1, temperature: 12 }\n' +
          '- { deviceId: d2, temperature: 31 }\n- { deviceId: d3, humidity: 80 }\n',
      );
      expect(await ok(['publish', 'cli-sensors', 'temperature', '-f', events])).toBe(
        'published 4 events to cli-sensors temperature\n',
      );
      const run = await tail.exited;
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(
        '{"deviceId":"d1","temperature":25}\n{"deviceId":"d2","temperature":31}\n',
      );
    });

    it('ends a tail with exit 0 on Ctrl-C (SIGINT)', async () => {
      const tail = new CliProcess(['tail', 'cli-alerts', 'hot'], { cwd: workDir, env: env() });
      await tail.waitFor('stderr', 'tailing cli-alerts hot');
      tail.child.kill('SIGINT');
      expect((await tail.exited).code).toBe(0);
    });

    it('exits 3 for what does not exist', async () => {
      const events = join(workDir, 'one.json');
      await writeFile(events, '{"temperature": 1}');
      expect(await failure(['publish', 'cli-nowhere', 'x', '-f', events])).toEqual({
        code: 3,
        line: expect.stringMatching(/^error: exchange: .*cli-nowhere.* \[HTTP 404 NOT_FOUND\]$/),
        stdout: '',
      });
      expect(
        await failure(['describe', 'job', '00000000-0000-4000-8000-000000000000']),
      ).toMatchObject({ code: 3, line: expect.stringContaining('jobId:') });
      expect(await failure(['stop', 'ffffffff'])).toMatchObject({
        code: 3,
        line: 'error: jobId: no job starts with ffffffff [HTTP 404 NOT_FOUND]',
      });
      expect(await failure(['move', jobId, '--to', 'edge/nowhere'])).toMatchObject({
        code: 3,
        line: expect.stringContaining('targetResource:'),
      });
      expect(await failure(['move', jobId, '--to', 'nowhere'])).toMatchObject({
        code: 2,
        line: expect.stringContaining('--to: must be <runtime>/<resource>'),
      });
    });

    it('moves the rule to gw2 and describes it', async () => {
      const moved = await ok(['move', jobId.slice(0, 8), '--to', 'edge/gw2', '-o', 'json']);
      expect(JSON.parse(moved)).toMatchObject({
        jobId,
        jobStatus: 'RUNNING',
        runtime: 'edge',
        targetResource: 'gw2',
      });
      await publish([{ deviceId: 'd5', temperature: 50 }, { deviceId: 'd6' }]);
      // The heartbeat brings gw2's counters: in 2 (one dead-lettered), out 1.
      let described = '';
      for (;;) {
        described = await ok(['describe', 'job', jobId]);
        if (/events in 2, out 1, dead letters 1/.test(described)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(described).toContain(`Job ID:      ${jobId}`);
      expect(described).toContain('Placement:   edge/gw2');
      expect(described).toContain('dead letters by reason: missing-field 1');
      expect(described).toMatch(/RUNNING\s+edge\/gw2\s+moved from edge\/local/);
      const yaml = parseYaml(await ok(['describe', 'job', jobId, '-o', 'yaml'])) as JobDetails;
      expect(yaml.connectors.inputQueue).toBe('cli-filter.in');
    });

    it('completes commands, resources and job ids in bash', async () => {
      const script = await ok(['completion', 'bash']);
      expect(await ok(['completion', 'zsh'])).toContain('bashcompinit');
      expect((await failure(['completion', 'fish'])).code).toBe(2);
      // `ruleshift` on PATH, as npm's bin link provides it, for the job-id lookups.
      const bin = join(workDir, 'bin');
      await mkdir(bin, { recursive: true });
      await writeFile(
        join(bin, 'ruleshift'),
        `#!/bin/sh\nexec "${process.execPath}" "${CLI_MAIN}" "$@"\n`,
      );
      await chmod(join(bin, 'ruleshift'), 0o755);
      await writeFile(join(workDir, 'completion.bash'), script);
      const complete = async (words: string[]) => {
        const { stdout } = await promisify(execFile)(
          'bash',
          [
            '-c',
            `source completion.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); ` +
              `COMP_CWORD=${words.length - 1}; _ruleshift_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
          ],
          { cwd: workDir, env: { ...env(), PATH: `${bin}:${process.env.PATH}` } },
        );
        return stdout.trim().split('\n').sort();
      };
      expect(await complete(['ruleshift', 'de'])).toEqual(['deadletters', 'describe']);
      expect(await complete(['ruleshift', 'get', ''])).toEqual([
        'jobs',
        'pipelines',
        'runtimes',
        'templates',
      ]);
      expect(await complete(['ruleshift', 'get', 'jobs', '-o', 'y'])).toEqual(['yaml']);
      expect(await complete(['ruleshift', 'move', 'x', '--to', 'edge/g'])).toEqual(['edge/gw2']);
      expect(await complete(['ruleshift', 'move', '--'])).toEqual(
        expect.arrayContaining(['--to', '--drop-state', '--server', '--token']),
      );
      expect(await complete(['ruleshift', 'deadletters', jobId.slice(0, 4)])).toEqual([jobId]);
    });

    it('lists, replays and purges dead letters', async () => {
      // Two wait: d3 (before the move) and d6 (on gw2), both without a temperature.
      const listed = await ok(['deadletters', jobId]);
      expect(listed).toContain(`Job ${jobId}: 2 dead letters waiting`);
      expect(listed).toMatch(/^missing-field\s+2$/m);
      expect(listed).toContain('{"deviceId":"d3","humidity":80}');
      expect(await ok(['deadletters', jobId, '--replay', '1'])).toBe(
        `replayed 1 to the input of ${jobId}\n`,
      );
      // gw2's rule dead-letters the replayed d3 again: two wait once more.
      for (;;) {
        const report = JSON.parse(await ok(['deadletters', jobId, '-o', 'json'])) as {
          total: number;
          messages: Array<{ body: unknown }>;
        };
        if (
          report.total === 2 &&
          report.messages.some((m) => JSON.stringify(m.body).includes('d3'))
        ) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await failure(['deadletters', jobId, '--replay', '--purge'])).toMatchObject({
        code: 2,
      });
      expect(JSON.parse(await ok(['deadletters', jobId, '--purge', '-o', 'json']))).toEqual({
        purged: 2,
      });
    });

    it('stops and uninstalls the rule; a stale operation is exit 4', async () => {
      expect((await ok(['stop', jobId])).split('\n')[1]).toMatch(/\sSTOPPED\s/);
      expect((await ok(['uninstall', jobId])).split('\n')[1]).toMatch(/\sUNINSTALLED\s/);
      expect(await ok(['get', 'jobs', '-o', 'name'])).toBe('');
      expect((await ok(['get', 'jobs', '--all', '-o', 'name'])).trim()).toBe(jobId);
      expect((await failure(['start', jobId])).code).toBe(4);
    });

    it("runs the README's example files as written: examples/rule.yaml, events.json, pipeline.yaml", async () => {
      const example = (name: string) => join(ROOT, 'examples', name);
      const tail = async (routingKey: string, count: number) => {
        const tailing = new CliProcess(['tail', 'alerts', routingKey, '-n', String(count)], {
          cwd: workDir,
          env: env(),
        });
        await tailing.waitFor('stderr', `tailing alerts ${routingKey}`);
        return tailing;
      };
      const job = (await ok(['install', '-f', example('rule.yaml'), '-o', 'name'])).trim();
      await ok(['start', job]);
      const hot = await tail('hot', 2);
      expect(await ok(['publish', 'sensors', 'temperature', '-f', example('events.json')])).toBe(
        'published 4 events to sensors temperature\n',
      );
      expect((await hot.exited).stdout).toBe(
        '{"deviceId":"d1","temperature":25}\n{"deviceId":"d2","temperature":31}\n',
      );
      await ok(['stop', job]);
      await ok(['uninstall', job]);

      const applied = JSON.parse(
        await ok(['apply', '-f', example('pipeline.yaml'), '--start', '-o', 'json']),
      ) as PipelineInfo;
      expect(applied).toMatchObject({ name: 'overheat', status: 'RUNNING' });
      const critical = await tail('critical', 1);
      await ok(
        ['publish', 'sensors', 'temperature', '-f', '-'],
        JSON.stringify([{ temperature: 60 }, { temperature: 85 }]),
      );
      expect((await critical.exited).stdout).toBe('{"temperature":85}\n');
      expect(await ok(['uninstall', 'pipeline/overheat'])).toMatch(/\sUNINSTALLED\s/);
    });

    it('applies a pipeline from YAML, lists and describes it, uninstalls it', async () => {
      const file = join(FIXTURES, 'pipeline.yaml');
      const applied = JSON.parse(await ok(['apply', '-f', file, '--start', '-o', 'json']));
      expect(applied).toMatchObject({ name: 'cli-overheat', status: 'RUNNING' });
      expect(
        (applied as PipelineInfo).stages.map((s) => [s.name, s.jobInfo.targetResource]),
      ).toEqual([
        ['hot', 'local'],
        ['critical', 'gw2'],
      ]);
      // The name exists: 409 is exit 4.
      expect(await failure(['apply', '-f', file])).toMatchObject({
        code: 4,
        line: expect.stringMatching(/^error: name: .*cli-overheat.*\[HTTP 409 CONFLICT\]$/),
      });
      const listed = (await ok(['get', 'pipelines'])).trimEnd().split('\n');
      expect(listed[1]).toMatch(
        /^cli-overheat\s+[0-9a-f-]{36}\s+RUNNING\s+hot\(edge\/local RUNNING\) critical\(edge\/gw2 RUNNING\)$/,
      );
      await publish([{ temperature: 90 }, { temperature: 60 }, { temperature: 10 }]);
      // Each stage's counters come from its own agent's heartbeat, so the second stage's can
      // show its events before the first stage's next report does: wait for both.
      const hot = /^hot\s+-\s+\S+\s+filter\s+edge\/local\s+RUNNING\s+3\s+2\s+0$/m;
      const critical = /^critical\s+hot\s+\S+\s+filter\s+edge\/gw2\s+RUNNING\s+2\s+1\s+0$/m;
      for (;;) {
        const described = await ok(['describe', 'pipeline', 'cli-overheat']);
        if (hot.test(described) && critical.test(described)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await ok(['uninstall', 'pipeline/cli-overheat'])).toMatch(/\sUNINSTALLED\s/);
      expect(await cli(['get', 'pipelines'])).toMatchObject({ code: 0, stdout: '' });
    });
  });
}

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
