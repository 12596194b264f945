import type { JobDetails, PipelineDetails, PipelineStageDetails } from '@ruleshift/contracts';
import { layoutPipeline, STAGE_WIDTH } from './pipeline-layout';

const stage = (name: string, from: string[], output = `${name}.out`): PipelineStageDetails => {
  const job = {
    jobId: `job-${name}`,
    runtime: 'edge',
    targetResource: 'local',
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'sensors',
      inputQueue: `${name}.in`,
      inputRoutingKey: 'temperature',
      outputEndpoint: 'edge',
      outputExchange: output,
      outputRoutingKey: 'k',
    },
  } as JobDetails;
  return { name, from, jobInfo: job, job };
};

const pipeline = (stages: PipelineStageDetails[]): PipelineDetails => ({
  pipelineId: 'p',
  name: 'p',
  status: 'RUNNING',
  stages,
  exchanges: [],
  createdAt: '',
  updatedAt: '',
});

describe('layoutPipeline', () => {
  it('puts the input, each stage after what it reads, then the outputs, left to right', () => {
    const graph = layoutPipeline(
      pipeline([stage('hot', []), stage('classify', ['hot']), stage('store', ['classify'])]),
    );
    const column = (id: string) => {
      const node = graph.nodes.find((n) => n.id === id)!;
      return Math.round((node.x + node.width / 2 - 16) / (STAGE_WIDTH + 84));
    };
    expect(
      ['input:edge/sensors/temperature', 'hot', 'classify', 'store', 'output:store'].map(column),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(graph.edges.map((e) => [e.id, e.rate])).toEqual([
      ['input:edge/sensors/temperature->hot', { jobId: 'job-hot', counter: 'in' }],
      ['hot->classify', { jobId: 'job-hot', counter: 'out' }],
      ['classify->store', { jobId: 'job-classify', counter: 'out' }],
      ['store->output:store', { jobId: 'job-store', counter: 'out' }],
    ]);
  });

  it('shares one input node, stacks parallel stages and joins in the column after both', () => {
    const graph = layoutPipeline(
      pipeline([stage('left', []), stage('right', []), stage('join', ['left', 'right'])]),
    );
    expect(graph.nodes.filter((n) => n.kind === 'input')).toHaveLength(1);
    const left = graph.nodes.find((n) => n.id === 'left')!;
    const right = graph.nodes.find((n) => n.id === 'right')!;
    const join = graph.nodes.find((n) => n.id === 'join')!;
    expect(left.x).toBe(right.x);
    expect(right.y).toBeGreaterThan(left.y + left.height);
    expect(join.x).toBeGreaterThan(left.x);
    // The join sits between its two inputs; only it writes an output.
    expect(join.y + join.height / 2).toBeCloseTo((left.y + right.y + right.height) / 2);
    expect(graph.nodes.filter((n) => n.kind === 'output').map((n) => n.id)).toEqual([
      'output:join',
    ]);
    for (const node of graph.nodes) {
      expect(node.x + node.width).toBeLessThanOrEqual(graph.width);
      expect(node.y + node.height).toBeLessThanOrEqual(graph.height);
    }
  });
});
