/** Immutable edits of the installation object the install form and its JSON share. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function getIn(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A copy of `root` with `path` set to `value`; `undefined` removes the key (the API refuses null). */
export function setIn(root: JsonObject, path: string[], value: Json | undefined): JsonObject {
  const [key, ...rest] = path;
  const copy: JsonObject = { ...root };
  if (rest.length === 0) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
    return copy;
  }
  const child = isObject(root[key]) ? root[key] : {};
  const next = setIn(child, rest, value);
  if (Object.keys(next).length === 0 && value === undefined) delete copy[key];
  else copy[key] = next;
  return copy;
}

/**
 * What a typed text becomes in the JSON: nothing when empty (the key is left out), a number when
 * the schema allows one and the text is one, the text otherwise (the API names a wrong type).
 */
export function fromText(text: string, numeric: boolean): Json | undefined {
  if (text === '') return undefined;
  if (numeric && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim())) return Number(text);
  return text;
}
