import { Conflict, NotFound, ValidationFailed, type PipelineObject } from '@ruleshift/contracts';
import { createProxyTestApp, type ProxyTestApp } from '../testing/create-proxy-test-app';
import { overheatPipeline, pipelineInfo } from '../testing/pipeline-objects';

type Mutation = (pipeline: PipelineObject & Record<string, unknown>) => void;
const withStage = (i: number, change: (stage: Record<string, unknown>) => void): Mutation => {
  return (pipeline) => change(pipeline.stages[i] as unknown as Record<string, unknown>);
};

describe('pipelines API (HTTP)', () => {
  let t: ProxyTestApp;
  const http = () => t.http();

  beforeEach(async () => {
    t = await createProxyTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('create passes the pipeline object verbatim (extra fields kept) and answers 200', async () => {
    t.adapter.on('pipelines.create', () => pipelineInfo());
    const body = { ...overheatPipeline(), owner: 'platform-team' };
    const res = await http().post('/api/pipelines').send(body).expect(200);
    expect(res.body).toEqual(pipelineInfo());
    expect(t.adapter.calls).toEqual([{ pattern: 'pipelines.create', request: body }]);
  });

  it.each<[string, Mutation, string]>([
    ['a missing name', (p) => delete (p as { name?: string }).name, 'name'],
    ['a name with a space', (p) => (p.name = 'over heat'), 'name'],
    ['stages not a list', (p) => (p.stages = {} as never), 'stages'],
    ['no stages', (p) => (p.stages = []), 'stages'],
    ['a stage that is not an object', (p) => (p.stages[1] = 'hot' as never), 'stages[1]'],
    ['a stage without name', withStage(0, (s) => delete s.name), 'stages[0].name'],
    ['a stage name with a dot', withStage(1, (s) => (s.name = 'a.b')), 'stages[1].name'],
    ['from not a list', withStage(1, (s) => (s.from = 'hot')), 'stages[1].from'],
    ['from with a number', withStage(1, (s) => (s.from = [1])), 'stages[1].from'],
    ['from null', withStage(1, (s) => (s.from = null)), 'stages[1].from'],
    [
      'a bad runtime',
      withStage(0, (s) => ((s.headers as { runtime: string }).runtime = 'k8s')),
      'stages[0].headers.runtime',
    ],
    ['no headers', withStage(1, (s) => delete s.headers), 'stages[1].headers'],
    ['no jobProps', withStage(0, (s) => delete s.jobProps), 'stages[0].jobProps'],
    ['no connectors', withStage(0, (s) => (s.jobConfig = {})), 'stages[0].jobConfig.connectors'],
    [
      'an amq. queue',
      withStage(
        0,
        (s) =>
          ((s.jobConfig as { connectors: { inputQueue: string } }).connectors.inputQueue =
            'amq.mine'),
      ),
      'stages[0].jobConfig.connectors.inputQueue',
    ],
    [
      'a null connector field',
      withStage(
        1,
        (s) =>
          ((s.jobConfig as { connectors: { outputExchange: null } }).connectors.outputExchange =
            null),
      ),
      'stages[1].jobConfig.connectors.outputExchange',
    ],
    [
      'a prefetch of 0',
      withStage(
        1,
        (s) => ((s.jobConfig as { connectors: { prefetch: number } }).connectors.prefetch = 0),
      ),
      'stages[1].jobConfig.connectors.prefetch',
    ],
  ])('refuses %s with 400 naming %s, before the adapter', async (_case, mutate, field) => {
    const body = overheatPipeline() as PipelineObject & Record<string, unknown>;
    mutate(body);
    const res = await http().post('/api/pipelines').send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(t.adapter.calls).toEqual([]);
  });

  it.each([
    ['an unknown from', 'stages[1].from[0]', 'no stage named nope'],
    ['a cycle', 'stages[0].from', 'forms a cycle: hot -> classify -> hot'],
    ['a duplicate stage name', 'stages[1].name', 'duplicate stage name hot (also stages[0].name)'],
    ['a window-join with one input', 'stages[1].from', 'window-join reads 2 inputs (left, right)'],
  ])("answers the adapter's graph check of %s as 400 naming %s", async (_case, field, reason) => {
    t.adapter.on('pipelines.create', () => {
      throw new ValidationFailed([{ field, reason }]);
    });
    const res = await http().post('/api/pipelines').send(overheatPipeline()).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field, reason }] });
  });

  it('answers a name in use with 409 and an unknown pipeline with 404', async () => {
    t.adapter.on('pipelines.create', () => {
      throw new Conflict('name', 'a pipeline named overheat exists already');
    });
    t.adapter.on('pipelines.get', () => {
      throw new NotFound('pipeline', 'no pipeline with id or name nope');
    });
    await http().post('/api/pipelines').send(overheatPipeline()).expect(409);
    const res = await http().get('/api/pipelines/nope').expect(404);
    expect(res.body.errors).toEqual([{ field: 'pipeline', reason: expect.any(String) }]);
  });

  it.each(['start', 'stop', 'uninstall'] as const)(
    '%s names the pipeline by id or name in the path',
    async (operation) => {
      t.adapter.on(`pipelines.${operation}`, () => pipelineInfo('RUNNING'));
      await http().post(`/api/pipelines/overheat/${operation}`).expect(200);
      expect(t.adapter.calls).toEqual([
        { pattern: `pipelines.${operation}`, request: { pipeline: 'overheat' } },
      ]);
    },
  );

  it('records pipeline mutations in the audit log', async () => {
    t.adapter.on('pipelines.start', () => pipelineInfo('RUNNING'));
    await http().post('/api/pipelines/overheat/start').expect(200);
    const [entry] = await t.adapter.auditedCount(1);
    expect(entry).toMatchObject({
      operation: 'POST /api/pipelines/overheat/start',
      statusCode: 200,
      subject: 'bootstrap-admin',
    });
  });
});
