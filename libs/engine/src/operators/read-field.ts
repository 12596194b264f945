import type { InputEvent } from '../edge-rule';

/**
 * `accessor` (a compiled JSONPath) applied to the event: to its extracted fields when it has
 * them and they hold the path, else to the whole value (parsed then, if it was not yet), so a
 * path the rule did not declare, or an absent member, reads exactly as from `value`.
 */
export function readField(accessor: (value: unknown) => unknown, event: InputEvent): unknown {
  const fields = event.fields;
  if (fields === undefined) return accessor(event.value);
  const found = accessor(fields);
  // `$` reads the fields object itself, which is not the value.
  return found !== undefined && found !== fields ? found : accessor(event.value);
}
