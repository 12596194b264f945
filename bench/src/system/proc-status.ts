/** Resident memory of a process as the kernel reports it (Linux /proc/<pid>/status). */
import { readFileSync } from 'node:fs';

/** VmRSS in bytes out of a /proc/<pid>/status text; NaN when absent. */
export function vmRssBytes(status: string): number {
  return kilobytesField(status, 'VmRSS');
}

/** VmHWM (the peak of VmRSS so far) in bytes; NaN when absent. */
export function vmHwmBytes(status: string): number {
  return kilobytesField(status, 'VmHWM');
}

function kilobytesField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

export function readVmRssBytes(pid: number): number {
  return vmRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

export function readVmHwmBytes(pid: number): number {
  return vmHwmBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
}
