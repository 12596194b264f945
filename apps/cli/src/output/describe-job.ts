import type { JobDetails } from '@ruleshift/contracts';
import { stringify } from 'yaml';
import { deadLetterTotal, formatAge, placementOf, statusOf } from './format';
import { renderTable } from './table';

/**
 * A job for a human, kubectl-describe style: facts, connectors and jobProps as YAML, counters,
 * dead letters by reason, then the status history (newest last).
 */
export function describeJob(job: JobDetails, now: number): string {
  const facts: Array<[string, string | undefined]> = [
    ['Job ID', job.jobId],
    ['Type', `${job.jobType} (template ${job.templateVersion})`],
    ['Placement', placementOf(job)],
    ['Status', statusOf(job)],
    ['Failure', job.failureReason],
    ['Config file', job.configFileName],
    ['Created', `${job.createdAt} (${formatAge(job.createdAt, now)} ago)`],
    ['Changed', `${job.updatedAt} (${formatAge(job.updatedAt, now)} ago)`],
  ];
  const lines = facts
    .filter((fact): fact is [string, string] => fact[1] !== undefined)
    .map(([name, value]) => `${`${name}:`.padEnd(13)}${value}`);

  const sections = [lines.join('\n')];
  sections.push(`Connectors:\n${indent(stringify(job.connectors, { lineWidth: 0 }))}`);
  sections.push(`Job props:\n${indent(stringify(job.jobProps, { lineWidth: 0 }))}`);
  const metrics = job.metrics;
  if (metrics) {
    const counters = [
      `events in ${metrics.eventsIn}`,
      `out ${metrics.eventsOut}`,
      `dead letters ${deadLetterTotal(metrics) ?? 0}`,
      ...(metrics.late !== undefined ? [`late ${metrics.late}`] : []),
      ...(metrics.stateKeys !== undefined ? [`state keys ${metrics.stateKeys}`] : []),
    ];
    const reasons = Object.entries(metrics.deadLettered ?? {});
    sections.push(
      `Metrics:\n  ${counters.join(', ')}` +
        (reasons.length > 0
          ? `\n  dead letters by reason: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`
          : ''),
    );
  }
  if (job.deadLetterQueue && job.deadLetterQueue.dropped > 0) {
    sections.push(
      `Dead-letter queue: ${job.deadLetterQueue.dropped} dropped past its bound of ${job.deadLetterQueue.maxLength}`,
    );
  }
  if (job.pendingMove) {
    const move = job.pendingMove;
    sections.push(`Move in progress: ${move.step} to ${move.targetRuntime}/${move.targetResource}`);
  }
  const history = job.history.map((change) => ({ ...change, placement: placementOf(change) }));
  sections.push(
    `History:\n${indent(
      renderTable(
        [
          { header: 'at', value: (c) => c.at },
          { header: 'status', value: (c) => c.status },
          { header: 'placement', value: (c) => c.placement },
          { header: 'reason', value: (c) => c.reason ?? '' },
        ],
        history,
      ),
    )}`,
  );
  return `${sections.join('\n\n')}\n`;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
