import type { RuntimeInfo } from '@ruleshift/contracts';
import { formatBytes, formatDetail, formatPercent } from '../shared/format';

/** The load of a runtime in one line: an agent's CPU, memory and rules; a cluster's slots. */
export function RuntimeLoad({ runtime }: { runtime: RuntimeInfo }) {
  const details = runtime.details ?? {};
  if (runtime.runtime === 'flink') {
    if (typeof details.error === 'string') return <>{details.error}</>;
    return (
      <>
        {formatDetail(details.slotsAvailable)}/{formatDetail(details.slotsTotal)} slots free,{' '}
        {formatDetail(details.jobsRunning)} jobs running
      </>
    );
  }
  const rules = Array.isArray(details.rules) ? details.rules.length : 0;
  return (
    <>
      CPU {formatPercent(details.cpuPercent)}, memory {formatBytes(details.rssBytes)}
      {details.sharesProcess === true ? ' (the whole shared process)' : ''}, {rules}{' '}
      {rules === 1 ? 'rule' : 'rules'}
    </>
  );
}
