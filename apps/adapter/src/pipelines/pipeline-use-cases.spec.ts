import type { JobEvent, PipelineEvent, PipelineObject } from '@ruleshift/contracts';
import { AdapterTestKit, errorOf } from '../testing/adapter-test-kit';
import { sinkStage, sourceStage, twoStagePipeline } from './testing/pipeline-fixtures';
import { PurgeRemovedPipelinesUseCase } from './usecases/purge-removed-pipelines/purge-removed-pipelines.usecase';

/** hot (edge, gw-1) -> agg (flink): the edge stage feeds a Flink stage through the core broker. */
const edgeToFlink = (): PipelineObject => ({
  name: 'mixed',
  stages: [sourceStage('hot'), sinkStage('agg', ['hot'], 'flink')],
});

const eventLine = (e: JobEvent | PipelineEvent): string =>
  e.kind === 'job' ? `job.${e.jobType}.${e.event} ${e.jobId}` : `pipeline.${e.event} ${e.name}`;

describe('pipeline use cases', () => {
  let kit: AdapterTestKit;
  const p = () => kit.useCases.pipelines;

  beforeEach(async () => {
    kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    await kit.registerRuntime('edge', 'gw-2');
    await kit.registerRuntime('flink', 'flink');
  });

  describe('create', () => {
    it('installs every stage, upstream first, and answers INSTALLED with the stages', async () => {
      const created = await p().create.execute(twoStagePipeline());
      expect(created).toMatchObject({
        name: 'overheat',
        status: 'INSTALLED',
        stages: [
          { name: 'hot', from: [], jobInfo: { jobStatus: 'INSTALLED', jobType: 'filter' } },
          { name: 'classify', from: ['hot'], jobInfo: { jobStatus: 'INSTALLED' } },
        ],
      });
      const [hot, classify] = created.stages.map((s) => s.jobInfo.jobId);
      expect(kit.edge.calls).toEqual([`install gw-1 ${hot}`, `install gw-1 ${classify}`]);
      expect(kit.topology.declared.map((c) => c.connectors.outputExchange)).toEqual([
        'ruleshift.pipeline.overheat.hot',
        'alerts',
      ]);
      expect(kit.events.events.map(eventLine)).toEqual([
        `job.filter.installed ${hot}`,
        `job.filter.installed ${classify}`,
        'pipeline.installed overheat',
      ]);
    });

    it('checks every stage before installing any: the error names stages[i]', async () => {
      const pipeline = twoStagePipeline();
      pipeline.stages[1].headers.targetResource = 'gw-9';
      expect(await errorOf(p().create.execute(pipeline))).toMatchObject({
        code: 'NOT_FOUND',
        errors: [{ field: 'stages[1].headers.targetResource' }],
      });
      pipeline.stages[1].headers.targetResource = 'gw-1';
      pipeline.stages[1].jobProps = { threshold: 'not-a-number' };
      expect(await errorOf(p().create.execute(pipeline))).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'stages[1].jobProps.threshold', reason: 'must be a number' }],
      });
      expect(kit.edge.calls).toEqual([]);
      expect(kit.jobs.rows.size).toBe(0);
    });

    it('refuses a second pipeline with the same name with 409 on name', async () => {
      await p().create.execute(twoStagePipeline());
      expect(await errorOf(p().create.execute(twoStagePipeline()))).toMatchObject({
        code: 'CONFLICT',
        errors: [{ field: 'name' }],
      });
    });

    it('installs all or none: a stage that fails uninstalls the ones before it', async () => {
      kit.flink.refuse.install = 'no free slots';
      expect(await errorOf(p().create.execute(edgeToFlink()))).toMatchObject({
        code: 'RUNTIME_ERROR',
        message: expect.stringContaining('stage agg'),
        errors: [{ field: 'stages[1]', reason: expect.stringContaining('no free slots') }],
      });
      const jobs = [...kit.jobs.rows.values()];
      expect(jobs.map((j) => j.status)).toEqual(['UNINSTALLED', 'UNINSTALLED']);
      expect(kit.edge.placementsOf(jobs[0].id)).toEqual([]);
      expect(kit.topology.deleted).toContain('edge/hot.in');
      expect(kit.pipelineTopology.removed).toEqual(['core/ruleshift.pipeline.mixed.hot']);
      expect(await p().list.execute()).toEqual([]);
      expect(kit.events.events.map((e) => `${e.kind}.${e.event}`)).toEqual([
        'job.installed',
        'job.failed',
        'job.uninstalled',
        'pipeline.failed',
      ]);
      // The name is free again.
      kit.flink.refuse = {};
      expect(await p().create.execute(edgeToFlink())).toMatchObject({ status: 'INSTALLED' });
    });
  });

  describe('start, stop, uninstall', () => {
    it('starts downstream first and stops upstream first', async () => {
      const created = await p().create.execute(twoStagePipeline());
      const [hot, classify] = created.stages.map((s) => s.jobInfo.jobId);
      kit.edge.calls.length = 0;
      expect(await p().start.execute({ pipeline: 'overheat' })).toMatchObject({
        status: 'RUNNING',
      });
      expect(await p().stop.execute({ pipeline: created.pipelineId })).toMatchObject({
        status: 'STOPPED',
      });
      expect(kit.edge.calls).toEqual([
        `start gw-1 ${classify}`,
        `start gw-1 ${hot}`,
        `stop gw-1 ${hot}`,
        `stop gw-1 ${classify}`,
      ]);
    });

    it('stops again what it started when a stage fails to start', async () => {
      await p().create.execute(edgeToFlink());
      kit.edge.refuse.start = 'agent busy';
      expect(await errorOf(p().start.execute({ pipeline: 'mixed' }))).toMatchObject({
        message: expect.stringContaining('stage hot'),
        errors: [{ field: 'stages[0]' }],
      });
      const info = await p().get.execute({ pipeline: 'mixed' });
      expect(info.stages.map((s) => s.jobInfo.jobStatus)).toEqual(['INSTALLED', 'STOPPED']);
      expect(info.status).toBe('PARTIAL');
      expect(kit.events.events.at(-1)).toMatchObject({
        kind: 'pipeline',
        event: 'failed',
        operation: 'start',
        stage: 'hot',
      });
    });

    it('uninstalls every stage and the exchanges it created; the name is free again', async () => {
      await p().create.execute({
        name: 'fan',
        stages: [sourceStage('hot'), sinkStage('a', ['hot']), sinkStage('b', ['hot'])],
      });
      await p().start.execute({ pipeline: 'fan' });
      expect(await p().uninstall.execute({ pipeline: 'fan' })).toMatchObject({
        status: 'UNINSTALLED',
      });
      expect(kit.topology.deleted).toEqual(
        expect.arrayContaining([
          'edge/hot.in',
          'edge/ruleshift.pipeline.fan.a.in0',
          'edge/ruleshift.pipeline.fan.b.in0',
        ]),
      );
      expect(kit.pipelineTopology.removed).toEqual(['edge/ruleshift.pipeline.fan.hot']);
      expect(await p().list.execute()).toEqual([]);
      expect(await errorOf(p().get.execute({ pipeline: 'fan' }))).toMatchObject({
        code: 'NOT_FOUND',
        errors: [{ field: 'pipeline' }],
      });
      expect(kit.events.events.filter((e) => e.kind === 'pipeline').map((e) => e.event)).toEqual([
        'installed',
        'started',
        'uninstalled',
      ]);
    });

    it('keeps an uninstalled pipeline readable by id for the retention, then deletes its row', async () => {
      const created = await p().create.execute(twoStagePipeline());
      await p().create.execute({ ...twoStagePipeline(), name: 'live' });
      await p().uninstall.execute({ pipeline: 'overheat' });
      const purge = new PurgeRemovedPipelinesUseCase(kit.pipelineRows, kit.clock);
      const retentionMs = 7 * 24 * 3600_000;

      kit.clock.advance(retentionMs - 1_000);
      expect(await purge.execute({ retentionMs })).toEqual([]);
      expect(await p().get.execute({ pipeline: created.pipelineId })).toMatchObject({
        status: 'UNINSTALLED',
      });
      kit.clock.advance(2_000);
      expect(await purge.execute({ retentionMs })).toEqual([created.pipelineId]);
      expect(await errorOf(p().get.execute({ pipeline: created.pipelineId }))).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect((await p().list.execute()).map((x) => x.name)).toEqual(['live']);
    });

    it('serialises operations on one pipeline: the second answers 409', async () => {
      await p().create.execute(twoStagePipeline());
      const [first, second] = await Promise.allSettled([
        p().start.execute({ pipeline: 'overheat' }),
        p().uninstall.execute({ pipeline: 'overheat' }),
      ]);
      expect(first.status).toBe('fulfilled');
      expect(second).toMatchObject({
        status: 'rejected',
        reason: { code: 'CONFLICT', errors: [{ field: 'pipeline' }] },
      });
    });
  });

  describe('stages are ordinary jobs', () => {
    it('a stage moved to another agent keeps its place and its connectors', async () => {
      const created = await p().create.execute(twoStagePipeline());
      await p().start.execute({ pipeline: 'overheat' });
      const classify = (await p().get.execute({ pipeline: 'overheat' })).stages[1];
      await kit.useCases.relocate.execute({
        target_runtime: 'edge',
        targetResource: 'gw-2',
        jobInfo: classify.jobInfo,
      });
      const after = await p().get.execute({ pipeline: created.pipelineId });
      expect(after.status).toBe('RUNNING');
      expect(after.stages[1].job).toMatchObject({
        targetResource: 'gw-2',
        jobStatus: 'RUNNING',
        connectors: classify.job.connectors,
      });
      expect(kit.events.events.at(-1)).toMatchObject({
        kind: 'job',
        event: 'moved',
        jobId: classify.jobInfo.jobId,
        from: { runtime: 'edge', targetResource: 'gw-1' },
        targetResource: 'gw-2',
      });
    });
  });
});
