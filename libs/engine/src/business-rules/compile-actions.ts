/**
 * Compiles a rule's `then` (JSON) into one plain function once, at start. Actions apply in order
 * to the evaluation's event (a private copy) until one stops the evaluation (`stop`, `drop`).
 * `set`/`remove`/`tag` report whether they changed the event (chaining re-evaluates on change).
 */
import { compileJsonPath, parseJsonPath } from '../json-path/json-path';
import type { Action } from './business-rules-props';
import { cloneJson, isJsonObject, jsonEqual, type JsonObject } from './json-values';
import { RuleRejection } from './rule-rejection';

/** The state of one event's evaluation. */
export interface Evaluation {
  /** The input event until an action first writes, then the evaluation's own copy of it. */
  event: unknown;
  owned: boolean;
  /** Set by `route`: the output routing key instead of the connector's. */
  routingKey: string | undefined;
  dropped: boolean;
  /** `stop` or `drop` was applied: no further action or rule. */
  stopped: boolean;
  /** Some action changed the event (it is serialised again instead of forwarded as received). */
  modified: boolean;
}

/** Applies the actions; true when they changed the event. */
export type CompiledActions = (evaluation: Evaluation) => boolean;

type CompiledAction = (evaluation: Evaluation) => boolean;

const hasOwn = Object.prototype.hasOwnProperty;

export function compileActions(actions: Action[], rule: string): CompiledActions {
  const steps = actions.map((action) => compileAction(action, rule));
  return (evaluation) => {
    let changed = false;
    for (const step of steps) {
      if (step(evaluation)) changed = true;
      if (evaluation.stopped) break;
    }
    if (changed) evaluation.modified = true;
    return changed;
  };
}

function compileAction(action: Action, rule: string): CompiledAction {
  if ('set' in action) {
    const write = writer(action.set, rule);
    if ('from' in action) {
      const from = action.from;
      const read = compileJsonPath(from);
      return (evaluation) => {
        const value = read(evaluation.event);
        if (value === undefined) throw RuleRejection.missing(rule, from);
        return write(own(evaluation), cloneJson(value));
      };
    }
    const value = action.value;
    return (evaluation) => write(own(evaluation), cloneJson(value));
  }
  if ('remove' in action) {
    const remove = remover(action.remove);
    return (evaluation) => remove(own(evaluation));
  }
  if ('tag' in action) {
    const tag = action.tag;
    return (evaluation) => addTag(own(evaluation), tag, rule);
  }
  if ('route' in action) {
    const routingKey = action.route;
    return (evaluation) => {
      evaluation.routingKey = routingKey;
      return false;
    };
  }
  if ('drop' in action) {
    return (evaluation) => {
      evaluation.dropped = true;
      evaluation.stopped = true;
      return false;
    };
  }
  return (evaluation) => {
    evaluation.stopped = true;
    return false;
  };
}

/**
 * The event to write to: copied on the first write, so the input event (what a dead letter
 * carries, what is forwarded when nothing changed) is never modified.
 */
function own(evaluation: Evaluation): unknown {
  if (!evaluation.owned) {
    evaluation.event = cloneJson(evaluation.event);
    evaluation.owned = true;
  }
  return evaluation.event;
}

/** Sets the value at `path` (object keys only), creating missing objects on the way. */
function writer(path: string, rule: string): (event: unknown, value: unknown) => boolean {
  const segments = parseJsonPath(path) as string[];
  const last = segments[segments.length - 1];
  return (event, value) => {
    let changed = false;
    let current = event;
    for (let i = 0; i < segments.length - 1; i++) {
      if (!isJsonObject(current)) throw RuleRejection.notAnObjectAt(rule, path);
      const key = segments[i];
      if (!hasOwn.call(current, key)) {
        current[key] = {};
        changed = true;
      }
      current = current[key];
    }
    if (!isJsonObject(current)) throw RuleRejection.notAnObjectAt(rule, path);
    if (hasOwn.call(current, last) && jsonEqual(current[last], value)) return changed;
    current[last] = value;
    return true;
  };
}

/** Removes the key at `path` when it is there; a missing path changes nothing. */
function remover(path: string): (event: unknown) => boolean {
  const segments = parseJsonPath(path) as string[];
  const last = segments[segments.length - 1];
  return (event) => {
    let current = event;
    for (let i = 0; i < segments.length - 1; i++) {
      if (!isJsonObject(current) || !hasOwn.call(current, segments[i])) return false;
      current = current[segments[i]];
    }
    if (!isJsonObject(current) || !hasOwn.call(current, last)) return false;
    delete current[last];
    return true;
  };
}

/** Adds `tag` to the event's `tags` array unless it is there already (tags are a set). */
function addTag(event: unknown, tag: string, rule: string): boolean {
  if (!isJsonObject(event)) throw RuleRejection.notAnObjectAt(rule, '$.tags');
  const root: JsonObject = event;
  if (!hasOwn.call(root, 'tags')) {
    root.tags = [tag];
    return true;
  }
  const tags = root.tags;
  if (!Array.isArray(tags))
    throw RuleRejection.wrongType(rule, '$.tags', tags, 'tag needs an array');
  if (tags.some((t) => t === tag)) return false;
  tags.push(tag);
  return true;
}
