/** A job status or a runtime health as a coloured label (text first: colour is never alone). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}
