/**
 * Reads the top-level members a rule needs out of a JSON text without building the rest of
 * the event. On the benchmark's 200-byte events `JSON.parse` was more than half of a window
 * rule's cost per event, building eight properties and four strings of which the rule read
 * three.
 *
 * The fast path takes what producers emit most: a flat object in compact form (no whitespace,
 * member values that are strings without escapes, numbers, true, false or null). One regular
 * expression checks the whole text against exactly that subset of the JSON grammar (V8 runs
 * it as native code), which also settles that every `"` delimits a string; a walk from member
 * to member (`indexOf`) then reads the wanted members, each later occurrence of a duplicated
 * member replacing the earlier one, as in `JSON.parse`. A member's key is compared only with
 * the wanted keys of its length, first at one code unit chosen per plan, without a builtin call
 * (`startsWith` per candidate cost more than the whole compare). Numbers take the exact fast
 * path (at most 15 significant digits and a power of ten up to 22, where one IEEE division is
 * correctly rounded) and `Number` on their text otherwise, which rounds as `JSON.parse` does;
 * reading a wanted number finds its end, and true, false and null have fixed lengths, so only
 * strings and unwanted numbers need an `indexOf` to end them.
 *
 * Every other text (whitespace, escapes, nested values, a top-level value that is not an
 * object, invalid JSON, or longer than MAX_FAST_LENGTH) gets null: the caller parses it whole,
 * so its validity and values are JSON.parse's own.
 */

/** The members to read: top-level keys, each the one segment of a `$.key` path. */
export interface FieldPlan {
  readonly keys: readonly string[];
  /** An object with every key as an own property (undefined), cloned per event. */
  readonly template: Readonly<Record<string, undefined>>;
  /** At index n the keys of n code units (null for none): a member's key is compared with these. */
  readonly keysByLength: readonly (readonly KeyProbe[] | null)[];
}

/** A wanted key, its code units, and the one of them compared first. */
interface KeyProbe {
  readonly key: string;
  /** The key's code units: reading an array is cheaper than the key's `charCodeAt`. */
  readonly codes: readonly number[];
  /** Offset from the key's first code unit; -1 (the opening quote) for the empty key. */
  readonly at: number;
  readonly code: number;
}

const STRING = '"[^"\\\\\\x00-\\x1f]*"';
const NUMBER = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?';
const MEMBER = `${STRING}:(?:${STRING}|${NUMBER}|true|false|null)`;
/** A flat JSON object in compact form whose strings have no escapes. */
const FLAT_COMPACT_OBJECT = new RegExp(`^\\{(?:${MEMBER}(?:,${MEMBER})*)?\\}$`);
/** Longer texts are parsed whole: the check's backtracking stays bounded. */
export const MAX_FAST_LENGTH = 16_384;

const QUOTE = 34;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const UPPER_E = 69;
const LOWER_E = 101;
const LOWER_F = 102;
const LOWER_N = 110;
const LOWER_T = 116;

/** 10^0 .. 10^22: every one is exact in a double. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Mantissas of up to 15 digits are exact integers in a double (< 2^53). */
const MAX_FAST_DIGITS = 15;

/**
 * A plan for the top-level keys among `paths`, each a parsed JSONPath's segments. Paths of
 * another shape are left out (reading them falls back to the whole value); null when none is
 * left. `__proto__` is left out too: a plain object's own `__proto__` cannot be cloned.
 */
export function compileFieldPlan(
  paths: readonly (readonly (string | number)[])[],
): FieldPlan | null {
  const keys: string[] = [];
  for (const segments of paths) {
    const key = segments[0];
    if (segments.length !== 1 || typeof key !== 'string' || key === '__proto__') continue;
    if (!keys.includes(key)) keys.push(key);
  }
  if (keys.length === 0) return null;
  const template: Record<string, undefined> = {};
  for (const key of keys) template[key] = undefined;
  return { keys, template, keysByLength: keysByLength(keys) };
}

/**
 * The keys grouped by length; within a group each is probed first at the offset where the
 * group's keys differ most, so that usually one candidate at most gets the full compare.
 */
function keysByLength(keys: readonly string[]): (readonly KeyProbe[] | null)[] {
  const longest = Math.max(...keys.map((key) => key.length));
  // Filled with null, not left with holes, so that the walk reads a packed array.
  const groups: (KeyProbe[] | null)[] = Array.from({ length: longest + 1 }, () => null);
  for (let length = 0; length <= longest; length++) {
    const group = keys.filter((key) => key.length === length);
    if (group.length === 0) continue;
    let at = length === 0 ? -1 : 0;
    let distinct = 0;
    for (let offset = 0; offset < length; offset++) {
      const codes = new Set(group.map((key) => key.charCodeAt(offset))).size;
      if (codes > distinct) [at, distinct] = [offset, codes];
    }
    groups[length] = group.map((key) => ({
      key,
      codes: Array.from({ length }, (_, offset) => key.charCodeAt(offset)),
      at,
      code: at < 0 ? QUOTE : key.charCodeAt(at),
    }));
  }
  return groups;
}

/**
 * The plan's members of `text` as an object (a key the text lacks reads undefined), when
 * `text` is a flat compact JSON object; null when it must be parsed whole (see above).
 */
export function extractFields(text: string, plan: FieldPlan): Record<string, unknown> | null {
  if (text.length > MAX_FAST_LENGTH || !FLAT_COMPACT_OBJECT.test(text)) return null;
  const fields: Record<string, unknown> = { ...plan.template };
  const last = text.length - 1;
  // At each step `i` is a key's opening quote; the check guarantees the shape read here.
  for (let i = 1; i < last;) {
    const keyEnd = text.indexOf('"', i + 1);
    const key = wantedKey(text, i + 1, keyEnd, plan.keysByLength);
    const valueStart = keyEnd + 2;
    const first = text.charCodeAt(valueStart);
    let valueEnd: number;
    if (first === QUOTE) {
      valueEnd = text.indexOf('"', valueStart + 1) + 1;
      if (key !== null) fields[key] = text.slice(valueStart + 1, valueEnd - 1);
    } else if (first === LOWER_T) {
      valueEnd = valueStart + 4;
      if (key !== null) fields[key] = true;
    } else if (first === LOWER_N) {
      valueEnd = valueStart + 4;
      if (key !== null) fields[key] = null;
    } else if (first === LOWER_F) {
      valueEnd = valueStart + 5;
      if (key !== null) fields[key] = false;
    } else if (key !== null) {
      fields[key] = numberAt(text, valueStart);
      valueEnd = numberEnd;
    } else {
      // A number has no comma: the next one ends it, or the closing brace does.
      valueEnd = text.indexOf(',', valueStart);
      if (valueEnd < 0) valueEnd = last;
    }
    i = valueEnd + 1;
  }
  return fields;
}

/** The wanted key equal to text[start, end), or null when there is none. */
function wantedKey(
  text: string,
  start: number,
  end: number,
  keysByLength: FieldPlan['keysByLength'],
): string | null {
  const size = end - start;
  if (size >= keysByLength.length) return null;
  const candidates = keysByLength[size];
  if (candidates === null) return null;
  for (let k = 0; k < candidates.length; k++) {
    const { key, codes, at, code } = candidates[k];
    if (text.charCodeAt(start + at) !== code) continue;
    let j = 0;
    while (j < size && codes[j] === text.charCodeAt(start + j)) j++;
    if (j === size) return key;
  }
  return null;
}

/** Where the number numberAt last read ends: its second result, without allocating a pair. */
let numberEnd = 0;

/** The JSON number starting at text[start], rounded as JSON.parse rounds it; sets numberEnd. */
function numberAt(text: string, start: number): number {
  let i = start;
  const negative = text.charCodeAt(i) === MINUS;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let c = text.charCodeAt(i);
  while (c >= ZERO && c <= NINE) {
    mantissa = mantissa * 10 + (c - ZERO);
    if (mantissa !== 0) digits++;
    c = text.charCodeAt(++i);
  }
  if (c === DOT) {
    c = text.charCodeAt(++i);
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      if (mantissa !== 0) digits++;
      scale--;
      c = text.charCodeAt(++i);
    }
  }
  if (c === LOWER_E || c === UPPER_E) {
    c = text.charCodeAt(++i);
    if (c === PLUS || c === MINUS) c = text.charCodeAt(++i);
    while (c >= ZERO && c <= NINE) c = text.charCodeAt(++i);
    numberEnd = i;
    return Number(text.slice(start, i));
  }
  numberEnd = i;
  // More digits than are exact, or a scale past the exact powers of ten.
  if (digits > MAX_FAST_DIGITS || -scale >= POWERS_OF_TEN.length) {
    return Number(text.slice(start, i));
  }
  const magnitude = scale === 0 ? mantissa : mantissa / POWERS_OF_TEN[-scale];
  return negative ? -magnitude : magnitude;
}
