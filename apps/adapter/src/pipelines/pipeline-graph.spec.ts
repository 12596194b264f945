import type { PipelineObject } from '@ruleshift/contracts';
import { pipelineGraphErrors, upstreamFirst } from './pipeline-graph';
import { sinkStage, sourceStage, twoStagePipeline } from './testing/pipeline-fixtures';

const INPUTS = new Map([
  ['filter', 1],
  ['window-join', 2],
]);
const inputsOf = (jobType: string) => INPUTS.get(jobType);
const errorsOf = (pipeline: PipelineObject) => pipelineGraphErrors(pipeline, inputsOf);

describe('pipelineGraphErrors', () => {
  it('accepts the two-stage pipeline and a fan-out', () => {
    expect(errorsOf(twoStagePipeline())).toEqual([]);
    expect(
      errorsOf({
        name: 'fan',
        stages: [sourceStage('hot'), sinkStage('a', ['hot']), sinkStage('b', ['hot'])],
      }),
    ).toEqual([]);
  });

  it('names a bad pipeline name and an empty stage list', () => {
    expect(errorsOf({ name: 'no spaces', stages: [] })).toEqual([
      { field: 'name', reason: expect.stringContaining('letters, digits') },
      { field: 'stages', reason: 'must be a non-empty list of stages' },
    ]);
  });

  it('names a duplicate stage name with the first one', () => {
    const pipeline = { name: 'p', stages: [sourceStage('hot'), sourceStage('hot')] };
    expect(errorsOf(pipeline)).toEqual([
      { field: 'stages[1].name', reason: 'duplicate stage name hot (also stages[0].name)' },
    ]);
  });

  it('names a from that names no stage, and a stage reading itself', () => {
    const pipeline = {
      name: 'p',
      stages: [sourceStage('hot'), sinkStage('a', ['hot', 'nope']), sinkStage('b', ['b'])],
    };
    expect(errorsOf(pipeline)).toEqual([
      { field: 'stages[1].from[1]', reason: 'no stage named nope' },
      { field: 'stages[2].from[0]', reason: 'a stage cannot read its own output' },
    ]);
  });

  it('names a cycle with its path', () => {
    const pipeline = {
      name: 'p',
      stages: [
        sourceStage('src'),
        sinkStage('a', ['c']),
        sinkStage('b', ['a']),
        sinkStage('c', ['b']),
      ],
    };
    expect(errorsOf(pipeline)).toEqual([
      { field: 'stages[1].from', reason: 'forms a cycle: a -> b -> c -> a' },
    ]);
  });

  it('checks the inputs each template reads', () => {
    const pipeline = {
      name: 'p',
      stages: [
        sourceStage('l'),
        sourceStage('r'),
        sinkStage('both', ['l', 'r']),
        sinkStage('half', ['l'], 'edge', 'window-join'),
        sinkStage('join', ['l', 'r'], 'edge', 'window-join'),
      ],
    };
    expect(errorsOf(pipeline)).toEqual([
      { field: 'stages[2].from', reason: 'filter reads 1 input(s); from names 2' },
      {
        field: 'stages[3].from',
        reason: 'window-join reads 2 inputs (left, right): name both in from, or give secondInput',
      },
    ]);
  });

  it('asks for the inputs of a stage without from and the output of a stage nobody reads', () => {
    const lonely = sourceStage('hot');
    const pipeline = { name: 'p', stages: [{ ...lonely, jobConfig: { connectors: {} } }] };
    expect(errorsOf(pipeline).map((e) => e.field)).toEqual([
      'stages[0].jobConfig.connectors.inputEndpoint',
      'stages[0].jobConfig.connectors.inputExchange',
      'stages[0].jobConfig.connectors.inputQueue',
      'stages[0].jobConfig.connectors.inputRoutingKey',
      'stages[0].jobConfig.connectors.outputEndpoint',
      'stages[0].jobConfig.connectors.outputExchange',
      'stages[0].jobConfig.connectors.outputRoutingKey',
    ]);
  });

  it('refuses input connectors on an input the adapter wires', () => {
    const reader = sinkStage('a', ['hot']);
    reader.jobConfig.connectors.inputExchange = 'elsewhere';
    expect(errorsOf({ name: 'p', stages: [sourceStage('hot'), reader] })).toEqual([
      {
        field: 'stages[1].jobConfig.connectors.inputExchange',
        reason: 'input 0 is wired from stage hot; leave it out (inputQueue may be given)',
      },
    ]);
  });
});

describe('upstreamFirst', () => {
  it('puts every stage after the stages it reads, whatever the request order', () => {
    const stages = [sinkStage('c', ['b']), sinkStage('b', ['a']), sourceStage('a')];
    expect(upstreamFirst(stages).map((s) => s.name)).toEqual(['a', 'b', 'c']);
  });
});
