/** Display formats shared by the pages. */
export const formatRate = (perSecond: number | undefined): string =>
  perSecond === undefined ? '–' : perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);

export const formatCount = (n: number | undefined): string =>
  n === undefined ? '–' : n.toLocaleString('en-US');

export function formatBytes(bytes: unknown): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatPercent(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${value.toFixed(1)} %` : '–';
}

/** "12 s ago", "3 min ago", or the date for older instants. */
export function formatAgo(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) return '–';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 2) return 'just now';
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  return new Date(iso).toLocaleString('en-GB');
}

export const formatTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString('en-GB') : '–';

/** A detail of unknown type as text: scalars as they are, anything else as JSON. */
export function formatDetail(value: unknown): string {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}
