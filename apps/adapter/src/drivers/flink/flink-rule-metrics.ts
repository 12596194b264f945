import type { RuleMetrics } from '@ruleshift/contracts';
import type { FlinkClientPort } from './flink-cluster';

/**
 * Which operator metrics of a ruleshift Flink job make a rule's figures. The templates name
 * their operators (templates/flink RabbitMqJob): sources `rmq-in-<i>:<queues>`, the output sink
 * `rmq-out:<exchange>`, dead-letter sinks `rmq-dlx-<n>:<exchange>`; Flink's metric ids are
 * `<operator name>.<metric>` with `.`, `:` and spaces turned into `_` (and the name cut at 80
 * characters, hence prefixes). Flink counts these itself: what a source emitted (numRecordsOut)
 * is what the rule consumed, what a sink writer took in (numRecordsIn) is what it published.
 */
const EVENTS_IN = /^Source__rmq-in-\d+_.*\.numRecordsOut$/;
const EVENTS_OUT = /^rmq-out_.*\.numRecordsIn$/;
const DEAD_LETTERS = /^rmq-dlx-\d+_.*\.numRecordsIn$/;

/** Dead letters of a Flink rule are counted together: Flink's own metrics carry no reason. */
export const FLINK_DEAD_LETTER_REASON = 'any';

/**
 * The rule's figures for its current Flink job, from Flink's REST metrics summed over every
 * vertex and subtask. Counts start at zero with each Flink job (a start or a move is a new job).
 */
export async function readFlinkRuleMetrics(
  client: Pick<FlinkClientPort, 'getJob' | 'vertexMetrics'>,
  flinkJobId: string,
): Promise<RuleMetrics> {
  const job = await client.getJob(flinkJobId);
  let eventsIn = 0;
  let eventsOut = 0;
  let deadLettered = 0;
  for (const vertex of job.vertices) {
    const listed = await client.vertexMetrics(flinkJobId, vertex.id);
    const wanted = listed
      .map((m) => m.id)
      .filter((id) => EVENTS_IN.test(id) || EVENTS_OUT.test(id) || DEAD_LETTERS.test(id));
    if (wanted.length === 0) continue;
    for (const { id, sum = 0 } of await client.vertexMetrics(flinkJobId, vertex.id, wanted)) {
      if (EVENTS_IN.test(id)) eventsIn += sum;
      else if (EVENTS_OUT.test(id)) eventsOut += sum;
      else if (DEAD_LETTERS.test(id)) deadLettered += sum;
    }
  }
  return {
    eventsIn,
    eventsOut,
    deadLettered: deadLettered > 0 ? { [FLINK_DEAD_LETTER_REASON]: deadLettered } : {},
  };
}
