/**
 * A rule running on Flink gets its counters from Flink's REST metrics (the operators'
 * numRecordsIn/Out, read by the adapter's cluster monitor): the same figures in GET /api/jobs,
 * in the pipeline API's stage, and in the proxy's Prometheus `/metrics`. After a move to the edge
 * the rule's series are the edge placement's (labels runtime/target), counting its new run only.
 */
import { TEST_ADMIN_TOKEN, waitUntil } from './support/system';
import { type JobDetails, jobDetails } from './support/flink-rules';
import { FLINK_CLUSTER, useFlinkSuite } from './support/flink-suite';
import { readings, uniqueConnectors } from './support/rules';

interface StageDetails {
  name: string;
  job: JobDetails & { metrics?: Figures };
}
interface Figures {
  eventsIn: number;
  eventsOut: number;
  deadLettered: Record<string, number>;
}

describe('Flink rules in metrics (real Flink, RabbitMQ, PostgreSQL)', () => {
  const suite = useFlinkSuite();

  const prometheus = async (): Promise<string> => {
    const response = await fetch(`${suite.system.proxyUrl}/metrics`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    if (!response.ok) throw new Error(`GET /metrics -> ${response.status}`);
    return response.text();
  };
  /** The value of one series of the scrape, undefined when the scrape does not have it. */
  const sample = (text: string, name: string, labels: Record<string, string>) => {
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith(`${name}{`) &&
          Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
      );
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };

  it("shows a Flink stage's counters from Flink in the job, the pipeline and /metrics, and the edge run's after a move", async () => {
    const { system, producer } = suite;
    const connectors = uniqueConnectors('flink-metrics');
    const created = await system.api<{ stages: { jobInfo: { jobId: string } }[] }>(
      'POST',
      '/api/pipelines',
      {
        name: 'flink-metrics',
        stages: [
          {
            name: 'hot',
            headers: { runtime: 'flink', targetResource: FLINK_CLUSTER, jobType: 'filter' },
            jobConfig: { connectors },
            jobProps: { condition: '>', threshold: 20, fieldName: 'temperature' },
          },
        ],
      },
    );
    expect(created.status).toBe(200);
    const jobId = created.body.stages[0].jobInfo.jobId;
    suite.started.add(jobId);
    expect((await system.api('POST', '/api/pipelines/flink-metrics/start')).status).toBe(200);

    // 100 readings, 50 above the threshold, and one the filter cannot read: a dead letter.
    const sent = readings(100);
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [
      ...sent,
      { deviceId: 'bad', seq: 100, temperature: 'warm' },
    ]);
    const onFlink: Figures = { eventsIn: 101, eventsOut: 50, deadLettered: { any: 1 } };
    const stage = await waitUntil(
      'the Flink figures in the pipeline',
      async () => {
        const { body } = await system.api<{ stages: StageDetails[] }>(
          'GET',
          '/api/pipelines/flink-metrics',
        );
        const job = body.stages[0].job;
        return job.metrics?.eventsIn === 101 && job.metrics.deadLettered.any === 1 && job;
      },
      90_000,
    );
    expect(stage).toMatchObject({ runtime: 'flink', metrics: onFlink });
    expect((await jobDetails(system, jobId)) as unknown).toMatchObject({ metrics: onFlink });
    const flinkLabels = { job_id: jobId, runtime: 'flink', target: FLINK_CLUSTER };
    const scrape = await prometheus();
    expect(sample(scrape, 'ruleshift_rule_events_in_total', flinkLabels)).toBe(101);
    expect(sample(scrape, 'ruleshift_rule_events_out_total', flinkLabels)).toBe(50);
    expect(
      sample(scrape, 'ruleshift_rule_dead_letters_total', { ...flinkLabels, reason: 'any' }),
    ).toBe(1);

    const moved = await suite.call('move', {
      target_runtime: 'edge',
      targetResource: 'gw1',
      jobInfo: { ...(await jobDetails(system, jobId)), jobStatus: 'RUNNING' },
    });
    expect(moved).toMatchObject({ runtime: 'edge', jobStatus: 'RUNNING' });
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, sent);
    const edgeLabels = { job_id: jobId, runtime: 'edge', target: 'gw1' };
    const afterMove = await waitUntil(
      'the edge run in /metrics',
      async () => {
        const text = await prometheus();
        return sample(text, 'ruleshift_rule_events_in_total', edgeLabels) === 100 && text;
      },
      60_000,
    );
    // The edge placement counts its own run; the Flink series is gone with the Flink job.
    expect(sample(afterMove, 'ruleshift_rule_events_out_total', edgeLabels)).toBe(50);
    expect(sample(afterMove, 'ruleshift_rule_events_in_total', flinkLabels)).toBeUndefined();

    expect((await system.api('POST', '/api/pipelines/flink-metrics/uninstall')).status).toBe(200);
  });
});
