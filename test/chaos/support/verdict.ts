/**
 * Judges one rule's outputs against what its inputs must give, and prints the suite's line:
 * `chaos <name>: sent N, expected M, received M, missing 0, duplicate 0 (by id), duplicates
 * counted in aggregates 0`. Outputs are identified by what they are about (the filtered event's
 * id, the window's device and start): a second output about the same thing is a duplicate; a
 * window whose count exceeds its inputs counted an input twice; one short of them lost one.
 */
import type { Output } from './traffic';

export interface Verdict {
  name: string;
  sent: number;
  expected: number;
  received: number;
  missing: number;
  duplicate: number;
  aggregateDuplicates: number;
  unexpected: number;
  /** Duplicates a downstream cannot drop by message id (none, or a different one). */
  duplicateWithoutSharedId: number;
  missingKeys: string[];
}

export function judge(
  name: string,
  sent: number,
  expectation: Map<string, number>,
  outputs: Output[],
  ignored: (key: string) => boolean,
): Verdict {
  const byKey = new Map<string, number[]>();
  const idsByKey = new Map<string, (string | undefined)[]>();
  let unexpected = 0;
  for (const output of outputs) {
    if (ignored(output.key)) continue;
    if (!expectation.has(output.key)) {
      unexpected++;
      continue;
    }
    byKey.set(output.key, [...(byKey.get(output.key) ?? []), output.value]);
    idsByKey.set(output.key, [...(idsByKey.get(output.key) ?? []), output.messageId]);
  }
  let received = 0;
  let duplicate = 0;
  let aggregateDuplicates = 0;
  let duplicateWithoutSharedId = 0;
  const missingKeys: string[] = [];
  for (const [key, want] of expectation) {
    const values = byKey.get(key) ?? [];
    duplicate += Math.max(0, values.length - 1);
    const ids = idsByKey.get(key) ?? [];
    const first = ids[0];
    duplicateWithoutSharedId += ids.slice(1).filter((id) => !id || id !== first).length;
    const most = values.length ? Math.max(...values) : 0;
    aggregateDuplicates += Math.max(0, most - want);
    if (most >= want) received++;
    else missingKeys.push(values.length ? `${key} (${most} of ${want})` : key);
  }
  return {
    name,
    sent,
    expected: expectation.size,
    received,
    missing: missingKeys.length,
    duplicate,
    aggregateDuplicates,
    unexpected,
    duplicateWithoutSharedId,
    missingKeys,
  };
}

export function combine(name: string, verdicts: Verdict[]): Verdict {
  const sum = (pick: (v: Verdict) => number): number =>
    verdicts.reduce((total, v) => total + pick(v), 0);
  return {
    name,
    sent: sum((v) => v.sent),
    expected: sum((v) => v.expected),
    received: sum((v) => v.received),
    missing: sum((v) => v.missing),
    duplicate: sum((v) => v.duplicate),
    aggregateDuplicates: sum((v) => v.aggregateDuplicates),
    unexpected: sum((v) => v.unexpected),
    duplicateWithoutSharedId: sum((v) => v.duplicateWithoutSharedId),
    missingKeys: verdicts.flatMap((v) => v.missingKeys.map((k) => `${v.name}: ${k}`)),
  };
}

export const lineOf = (v: Verdict): string =>
  `chaos ${v.name}: sent ${v.sent}, expected ${v.expected}, received ${v.received}, ` +
  `missing ${v.missing}, duplicate ${v.duplicate} (by id), ` +
  `duplicates counted in aggregates ${v.aggregateDuplicates}`;
