import { useState } from 'react';
import type { JobDetails, RuntimeInfo, RuntimeKind, TemplateInfo } from '@ruleshift/contracts';
import { ConfirmDialog } from '../shared/confirm-dialog';
import { RuntimeLoad } from '../runtimes/runtime-load';
import { StatusBadge } from '../shared/status-badge';

export interface MoveTarget {
  runtime: RuntimeKind;
  targetResource: string;
  dropState: boolean;
}

/** Lists the runtimes the job's template runs on (but where it is), with health and load. */
export function MoveDialog({
  job,
  template,
  runtimes,
  onConfirm,
  onCancel,
}: {
  job: JobDetails;
  template: TemplateInfo | undefined;
  runtimes: RuntimeInfo[];
  onConfirm(target: MoveTarget): void;
  onCancel(): void;
}) {
  const candidates = runtimes.filter(
    (r) =>
      (template?.runtimes ?? ['edge', 'flink']).includes(r.runtime) &&
      !(r.runtime === job.runtime && r.targetResource === job.targetResource),
  );
  const firstUp = candidates.find((r) => r.health === 'UP') ?? candidates[0];
  const [chosen, setChosen] = useState<string | undefined>(
    firstUp ? `${firstUp.runtime}/${firstUp.targetResource}` : undefined,
  );
  const [dropState, setDropState] = useState(false);
  const target = candidates.find((r) => `${r.runtime}/${r.targetResource}` === chosen);
  const crossesRuntimes = target !== undefined && target.runtime !== job.runtime;

  return (
    <ConfirmDialog
      title={`Move rule ${job.jobId.slice(0, 8)}`}
      confirmLabel={target ? `Move to ${target.runtime}/${target.targetResource}` : 'Move'}
      confirmDisabled={!target}
      onCancel={onCancel}
      onConfirm={() =>
        target &&
        onConfirm({ runtime: target.runtime, targetResource: target.targetResource, dropState })
      }
    >
      <p>
        Now on <strong>{`${job.runtime}/${job.targetResource}`}</strong> ({job.jobStatus}). The rule
        keeps its input queue; events published meanwhile wait there.
      </p>
      {candidates.length === 0 ? (
        <p className="state state-empty">
          No other runtime can take a {job.jobType} rule. Start another agent (e.g.{' '}
          <code>EXTRA_AGENT_IDS=gw2 npm start</code>) or a Flink cluster.
        </p>
      ) : (
        <fieldset className="choices">
          <legend>Target runtime</legend>
          {candidates.map((r) => {
            const key = `${r.runtime}/${r.targetResource}`;
            return (
              <label key={key} className="choice">
                <input
                  type="radio"
                  name="move-target"
                  value={key}
                  checked={chosen === key}
                  onChange={() => setChosen(key)}
                />
                <span className="choice-name">{key}</span>
                <StatusBadge status={r.health} />
                <span className="muted">
                  <RuntimeLoad runtime={r} />
                </span>
              </label>
            );
          })}
        </fieldset>
      )}
      {target && target.health !== 'UP' && (
        <p className="banner banner-warning">
          {target.targetResource} is {target.health}: the move will likely fail.
        </p>
      )}
      {crossesRuntimes && template?.stateful && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={dropState}
            onChange={(event) => setDropState(event.target.checked)}
          />
          Drop open window state (needed between edge and Flink when windows are open)
        </label>
      )}
    </ConfirmDialog>
  );
}
