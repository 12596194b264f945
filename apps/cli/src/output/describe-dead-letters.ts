import type { DeadLetterReport } from '@ruleshift/contracts';
import { renderTable } from './table';

/** Counts by reason, then the newest messages: when, why, and the event on one line. */
export function describeDeadLetters(report: DeadLetterReport): string {
  const lines = [
    `Job ${report.jobId}: ${report.total} dead ${report.total === 1 ? 'letter' : 'letters'} waiting` +
      (report.overflowed > 0 ? `, ${report.overflowed} dropped past the queue's bound` : ''),
  ];
  const reasons = Object.entries(report.byReason);
  if (reasons.length > 0) {
    lines.push(
      '',
      renderTable(
        [
          { header: 'reason', value: ([reason]) => reason },
          { header: 'count', value: ([, n]) => String(n), align: 'right' },
        ],
        reasons,
      ).trimEnd(),
    );
  }
  if (report.messages.length > 0) {
    lines.push(
      '',
      `Newest ${report.messages.length}:`,
      renderTable(
        [
          { header: 'dead-lettered at', value: (m) => m.deadLetteredAt ?? '-' },
          { header: 'reason', value: (m) => m.reason },
          { header: 'detail', value: (m) => m.detail },
          {
            header: 'event',
            value: (m) => (typeof m.body === 'string' ? m.body : JSON.stringify(m.body)),
          },
        ],
        report.messages,
      ).trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}
