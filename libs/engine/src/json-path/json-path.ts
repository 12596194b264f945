/**
 * A safe JSONPath subset: `$`, `.key`, `['key']`, `["key"]` and `[index]`, in any sequence.
 * The path is parsed once into segments and read with a plain loop (no eval, no Function),
 * so a path coming from jobProps cannot run code. Keys are read as own properties only, so
 * `__proto__` or `constructor` never reach the prototype chain.
 */
import { ValidationFailed } from '@ruleshift/contracts';

/** One step of a compiled path: a string key reads an object, a number reads an array. */
export type JsonPathSegment = string | number;

export type JsonPathAccessor = (value: unknown) => unknown;

/** A path that does not parse; `reason` says what is wrong and where. */
export class InvalidJsonPath extends ValidationFailed {
  constructor(
    readonly path: string,
    readonly reason: string,
    field = 'jsonPath',
  ) {
    super([{ field, reason: `invalid JSONPath ${JSON.stringify(path)}: ${reason}` }]);
  }
}

const hasOwn = Object.prototype.hasOwnProperty;
/** Characters that end an unquoted `.key`. */
const DOT_KEY_STOP = /[.[\]'"\s*]/;
const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class PathSyntaxError extends Error {}

export function parseJsonPath(path: string): JsonPathSegment[] {
  if (typeof path !== 'string') throw new PathSyntaxError('must be a string');
  if (path[0] !== '$') throw new PathSyntaxError("must start with '$'");
  const segments: JsonPathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      if (path[i + 1] === '.')
        throw new PathSyntaxError(`recursive descent '..' is not supported (at ${i})`);
      const start = i + 1;
      let end = start;
      while (end < path.length && !DOT_KEY_STOP.test(path[end])) end++;
      if (end === start) {
        const found = end < path.length ? `'${path[end]}'` : 'end of path';
        throw new PathSyntaxError(`expected a key after '.' at ${i}, found ${found}`);
      }
      segments.push(path.slice(start, end));
      i = end;
    } else if (ch === '[') {
      i = parseBracket(path, i, segments);
    } else {
      throw new PathSyntaxError(`unexpected '${ch}' at ${i}`);
    }
  }
  return segments;
}

/** Parses `[...]` starting at `open`; returns the index after `]`. */
function parseBracket(path: string, open: number, segments: JsonPathSegment[]): number {
  const first = path[open + 1];
  if (first === "'" || first === '"') {
    const [key, afterQuote] = parseQuoted(path, open + 1);
    if (path[afterQuote] !== ']') throw new PathSyntaxError(`expected ']' at ${afterQuote}`);
    segments.push(key);
    return afterQuote + 1;
  }
  const close = path.indexOf(']', open);
  if (close < 0) throw new PathSyntaxError(`unterminated '[' at ${open}`);
  const body = path.slice(open + 1, close);
  if (body === '*') throw new PathSyntaxError(`wildcard '[*]' is not supported (at ${open})`);
  if (!/^(0|[1-9][0-9]*)$/.test(body)) {
    throw new PathSyntaxError(
      `expected a non-negative array index or a quoted key inside '[]' at ${open}, found '${body}'`,
    );
  }
  const index = Number(body);
  if (!Number.isSafeInteger(index)) throw new PathSyntaxError(`array index too large at ${open}`);
  segments.push(index);
  return close + 1;
}

/** Parses a quoted key with JSON-style escapes; returns the key and the index after the quote. */
function parseQuoted(path: string, quoteAt: number): [string, number] {
  const quote = path[quoteAt];
  let key = '';
  let i = quoteAt + 1;
  while (i < path.length) {
    const ch = path[i];
    if (ch === quote) return [key, i + 1];
    if (ch !== '\\') {
      key += ch;
      i++;
      continue;
    }
    const esc = path[i + 1];
    if (esc === 'u') {
      const hex = path.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PathSyntaxError(`bad \\u escape at ${i}`);
      key += String.fromCharCode(parseInt(hex, 16));
      i += 6;
    } else if (esc !== undefined && hasOwn.call(SIMPLE_ESCAPES, esc)) {
      key += SIMPLE_ESCAPES[esc];
      i += 2;
    } else {
      throw new PathSyntaxError(`bad escape at ${i}`);
    }
  }
  throw new PathSyntaxError(`unterminated quoted key starting at ${quoteAt}`);
}

/** Returns why `path` is not a valid path of the subset, or null when it is. */
export function validateJsonPath(path: string): string | null {
  try {
    parseJsonPath(path);
    return null;
  } catch (err) {
    if (err instanceof PathSyntaxError) return err.message;
    throw err;
  }
}

/**
 * The path of the one top-level key `name` (a `fieldName` jobProp): `$.name` when that reads
 * exactly the key, else `$['name']` quoted, so a name with dots, spaces or brackets is still one
 * key and never a path. The Flink jobs apply the same rule (FilterLogic.fieldPath).
 */
export function fieldNamePath(name: string): string {
  const dotted = `$.${name}`;
  if (validateJsonPath(dotted) === null) {
    const segments = parseJsonPath(dotted);
    if (segments.length === 1 && segments[0] === name) return dotted;
  }
  return `$['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/**
 * Compiles `path` into an accessor returning the value at the path, or undefined when any
 * step is absent. Throws InvalidJsonPath (a ValidationFailed naming `field`) on bad syntax.
 */
export function compileJsonPath(path: string, field = 'jsonPath'): JsonPathAccessor {
  let segments: JsonPathSegment[];
  try {
    segments = parseJsonPath(path);
  } catch (err) {
    if (err instanceof PathSyntaxError) throw new InvalidJsonPath(String(path), err.message, field);
    throw err;
  }
  // The common shapes get a dedicated accessor: this runs once per event on the hot path.
  if (segments.length === 0) return (value) => value;
  if (segments.length === 1) {
    const only = segments[0];
    return (value) => step(value, only);
  }
  return (value) => {
    let current = value;
    for (let i = 0; i < segments.length; i++) {
      current = step(current, segments[i]);
      if (current === undefined) return undefined;
    }
    return current;
  };
}

function step(value: unknown, segment: JsonPathSegment): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (typeof segment === 'number') {
    return Array.isArray(value) && segment < value.length ? (value[segment] as unknown) : undefined;
  }
  if (Array.isArray(value) || !hasOwn.call(value, segment)) return undefined;
  return (value as Record<string, unknown>)[segment];
}
