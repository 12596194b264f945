import type { JobDetails } from '@ruleshift/contracts';
import { ConfirmDialog } from '../shared/confirm-dialog';

const WHAT: Record<'start' | 'stop' | 'uninstall', string> = {
  start: 'It starts consuming its input queue, from where it stopped.',
  stop: 'It stops consuming; events published meanwhile wait in its input queue.',
  uninstall:
    'It is removed from its runtime with its dead-letter queue, and its input queue unless another rule reads it or you keep it.',
};

/** Asks before start, stop or uninstall, saying what the operation does to the rule's queues. */
export function ConfirmOperation({
  kind,
  job,
  keepInputQueue,
  setKeepInputQueue,
  onConfirm,
  onCancel,
}: {
  kind: 'start' | 'stop' | 'uninstall';
  job: JobDetails;
  keepInputQueue: boolean;
  setKeepInputQueue(keep: boolean): void;
  onConfirm(): void;
  onCancel(): void;
}) {
  const verb = kind[0].toUpperCase() + kind.slice(1);
  return (
    <ConfirmDialog
      title={`${verb} rule ${job.jobId.slice(0, 8)}?`}
      confirmLabel={verb}
      danger={kind === 'uninstall'}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        {job.jobType} on {job.runtime}/{job.targetResource}, now {job.jobStatus}. {WHAT[kind]}
      </p>
      {kind === 'uninstall' && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={keepInputQueue}
            onChange={(event) => setKeepInputQueue(event.target.checked)}
          />
          Keep the input queue <code>{job.connectors.inputQueue}</code> and what waits in it
        </label>
      )}
    </ConfirmDialog>
  );
}
