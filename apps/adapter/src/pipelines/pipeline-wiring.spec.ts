import type { PipelineStage } from '@ruleshift/contracts';
import { wirePipeline } from './pipeline-wiring';
import { sinkStage, sourceStage, twoStagePipeline } from './testing/pipeline-fixtures';

const connectorsOf = (wired: ReturnType<typeof wirePipeline>, name: string) =>
  wired.stages.find((s) => s.stage.name === name)!.installation.jobConfig.connectors;

describe('wirePipeline', () => {
  it('wires two edge stages through an exchange and a queue on the edge broker', () => {
    const wired = wirePipeline(twoStagePipeline());
    expect(connectorsOf(wired, 'hot')).toEqual({
      inputEndpoint: 'edge',
      inputExchange: 'sensors',
      inputQueue: 'hot.in',
      inputRoutingKey: 'temperature',
      outputEndpoint: 'edge',
      outputExchange: 'ruleshift.pipeline.overheat.hot',
      outputRoutingKey: 'hot',
    });
    expect(connectorsOf(wired, 'classify')).toEqual({
      inputEndpoint: 'edge',
      inputExchange: 'ruleshift.pipeline.overheat.hot',
      inputQueue: 'ruleshift.pipeline.overheat.classify.in0',
      inputRoutingKey: 'hot',
      outputEndpoint: 'edge',
      outputExchange: 'alerts',
      outputRoutingKey: 'classify',
    });
    expect(wired.exchanges).toEqual([
      { endpoint: 'edge', exchange: 'ruleshift.pipeline.overheat.hot' },
    ]);
  });

  it('uses the core broker when a reader runs on Flink', () => {
    const wired = wirePipeline({
      name: 'p',
      stages: [sourceStage('hot'), sinkStage('agg', ['hot'], 'flink')],
    });
    expect(connectorsOf(wired, 'hot').outputEndpoint).toBe('core');
    expect(connectorsOf(wired, 'agg').inputEndpoint).toBe('core');
  });

  it('gives each reader of a fan-out its own queue on the one exchange', () => {
    const wired = wirePipeline({
      name: 'fan',
      stages: [sinkStage('a', ['hot']), sinkStage('b', ['hot']), sourceStage('hot')],
    });
    expect(wired.stages.map((s) => s.stage.name)).toEqual(['hot', 'a', 'b']);
    expect(connectorsOf(wired, 'a').inputQueue).toBe('ruleshift.pipeline.fan.a.in0');
    expect(connectorsOf(wired, 'b').inputQueue).toBe('ruleshift.pipeline.fan.b.in0');
    expect(connectorsOf(wired, 'a').inputExchange).toBe(connectorsOf(wired, 'b').inputExchange);
    expect(wired.exchanges).toHaveLength(1);
  });

  it('keeps what a stage gives itself: its output exchange and its queue name', () => {
    const hot: PipelineStage = sourceStage('hot');
    hot.jobConfig.connectors = {
      ...hot.jobConfig.connectors,
      outputEndpoint: 'core',
      outputExchange: 'hot-events',
      outputRoutingKey: 'h',
    };
    const reader = sinkStage('a', ['hot']);
    reader.jobConfig.connectors.inputQueue = 'my-queue';
    const wired = wirePipeline({ name: 'p', stages: [hot, reader] });
    expect(connectorsOf(wired, 'a')).toEqual(
      expect.objectContaining({
        inputEndpoint: 'core',
        inputExchange: 'hot-events',
        inputRoutingKey: 'h',
        inputQueue: 'my-queue',
      }),
    );
    expect(wired.exchanges).toEqual([]);
  });

  it('wires a join: left from input 0, right as secondInput', () => {
    const wired = wirePipeline({
      name: 'j',
      stages: [
        sourceStage('l'),
        sourceStage('r'),
        sinkStage('join', ['l', 'r'], 'edge', 'window-join'),
      ],
    });
    const join = connectorsOf(wired, 'join');
    expect(join.inputExchange).toBe('ruleshift.pipeline.j.l');
    expect(join.secondInput).toEqual({
      endpoint: 'edge',
      exchange: 'ruleshift.pipeline.j.r',
      queue: 'ruleshift.pipeline.j.join.in1',
      routingKey: 'r',
      exchangeType: 'direct',
    });
  });

  it('carries a topic exchange type to the reader, and refuses a reader that says another', () => {
    const hot = sourceStage('hot');
    hot.jobConfig.connectors.exchangeType = 'topic';
    const wired = wirePipeline({ name: 'p', stages: [hot, sinkStage('a', ['hot'])] });
    expect(connectorsOf(wired, 'a').exchangeType).toBe('topic');

    const reader = sinkStage('a', ['hot']);
    reader.jobConfig.connectors.exchangeType = 'direct';
    expect(() => wirePipeline({ name: 'p', stages: [hot, reader] })).toThrow(
      expect.objectContaining({
        errors: [
          {
            field: 'stages[1].jobConfig.connectors.exchangeType',
            reason: "must be topic, the type of stage hot's output exchange",
          },
        ],
      }),
    );
  });
});
