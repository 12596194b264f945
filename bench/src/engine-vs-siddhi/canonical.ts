/**
 * Output canonicalisation, so the two engines' outputs compare regardless of JSON formatting
 * (key order, 21 vs 21.0): one line per output, sorted, joined with '\n', sha256 in hex. The
 * Java harness implements the same definition (bench/siddhi Canonical.java).
 */
import { createHash } from 'node:crypto';

export interface OutputDigest {
  outputs: number;
  checksum: string;
}

/** Six decimals from the exact binary value, rounding half up (as Java's BigDecimal HALF_UP). */
export const fixed6 = (value: number): string => value.toFixed(6);

export function digest(lines: string[]): OutputDigest {
  const sorted = [...lines].sort();
  const hash = createHash('sha256');
  sorted.forEach((line, index) => {
    if (index > 0) hash.update('\n');
    hash.update(line);
  });
  return { outputs: lines.length, checksum: hash.digest('hex') };
}

interface AggregationOutput {
  windowStart: number;
  key: string;
  value: number;
  count: number;
}

interface JoinOutput {
  windowStart: number;
  left: { seq: number };
  right: { seq: number };
}

export const filterLine = (output: { seq: number }): string => String(output.seq);

export const aggregationLine = (output: AggregationOutput): string =>
  `${output.windowStart}|${output.key}|${fixed6(output.value)}|${output.count}`;

export const joinLine = (output: JoinOutput): string =>
  `${output.windowStart}|${output.left.seq}|${output.right.seq}`;

interface BusinessRulesOutput {
  seq: number;
  tags?: string[];
  severity?: string;
}

/** The event's identity, the tags the rules added (in order) and the severity set. */
export const businessRulesLine = (output: BusinessRulesOutput): string =>
  `${output.seq}|${(output.tags ?? []).join(',')}|${output.severity ?? ''}`;
