import type { PipelineDetails } from '@ruleshift/contracts';
import { deadLetterTotal, formatCount, placementOf } from './format';
import { renderTable } from './table';

/** A pipeline for a human: its status, then one row per stage with what it reads. */
export function describePipeline(pipeline: PipelineDetails): string {
  const head = [
    `Name:        ${pipeline.name}`,
    `Pipeline ID: ${pipeline.pipelineId}`,
    `Status:      ${pipeline.status}${pipeline.pendingOperation ? ` (${pipeline.pendingOperation})` : ''}`,
  ].join('\n');
  const stages = renderTable(
    [
      { header: 'stage', value: (s) => s.name },
      { header: 'from', value: (s) => (s.from.length > 0 ? s.from.join(',') : '-') },
      { header: 'job id', value: (s) => s.jobInfo.jobId },
      { header: 'type', value: (s) => s.jobInfo.jobType },
      { header: 'placement', value: (s) => placementOf(s.job) },
      { header: 'status', value: (s) => s.job.jobStatus },
      { header: 'in', value: (s) => formatCount(s.job.metrics?.eventsIn), align: 'right' },
      { header: 'out', value: (s) => formatCount(s.job.metrics?.eventsOut), align: 'right' },
      {
        header: 'dead',
        value: (s) => formatCount(deadLetterTotal(s.job.metrics)),
        align: 'right',
      },
    ],
    pipeline.stages,
  );
  const exchanges = pipeline.exchanges.map((e) => `${e.endpoint}/${e.exchange}`).join(', ');
  return `${head}\n\nStages:\n${stages}${exchanges ? `\nExchanges it created: ${exchanges}\n` : ''}`;
}
