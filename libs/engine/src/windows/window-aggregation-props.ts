import { AGGREGATES, type AggregateKind } from './accumulator';
import {
  invalidProp,
  oneOf,
  optionalInteger,
  optionalString,
  propsObject,
  requiredInteger,
  type Props,
} from './props-readers';

export type WindowTime = 'event' | 'processing';

export type WindowSpec =
  | { kind: 'tumbling'; time: WindowTime; sizeMs: number }
  | { kind: 'sliding'; time: WindowTime; sizeMs: number; slideMs: number }
  | { kind: 'count'; time: WindowTime; size: number; slide: number };

/** window-aggregation jobProps with defaults applied (the manifest's schema, checked again). */
export interface WindowAggregationProps {
  aggregate: AggregateKind;
  fieldJsonPath?: string;
  window: WindowSpec;
  timeFieldJsonPath?: string;
  groupByJsonPath?: string;
  maxOutOfOrdernessMs: number;
  allowedLatenessMs: number;
  maxKeys?: number;
}

export function parseWindowAggregationProps(jobProps: unknown): WindowAggregationProps {
  const props = propsObject(jobProps, '');
  const aggregate = oneOf(props, 'aggregate', AGGREGATES);
  const fieldJsonPath = optionalString(props, 'fieldJsonPath');
  if (aggregate !== 'count' && fieldJsonPath === undefined) {
    throw invalidProp('fieldJsonPath', `is required for aggregate ${aggregate}`);
  }
  const window = parseWindow(propsObject(props.window, 'window'));
  const timeFieldJsonPath = optionalString(props, 'timeFieldJsonPath');
  if (window.time === 'event' && timeFieldJsonPath === undefined) {
    throw invalidProp('timeFieldJsonPath', 'is required for event-time windows');
  }
  return {
    aggregate,
    fieldJsonPath,
    window,
    timeFieldJsonPath,
    groupByJsonPath: optionalString(props, 'groupByJsonPath'),
    maxOutOfOrdernessMs: optionalInteger(props, 'maxOutOfOrdernessMs', 0) ?? 0,
    allowedLatenessMs: optionalInteger(props, 'allowedLatenessMs', 0) ?? 0,
    maxKeys: optionalInteger(props, 'maxKeys', 1),
  };
}

function parseWindow(window: Props): WindowSpec {
  const kind = oneOf(
    window,
    'kind',
    ['tumbling', 'sliding', 'count'] as const,
    undefined,
    'window.kind',
  );
  const time = oneOf(window, 'time', ['event', 'processing'] as const, 'event', 'window.time');
  switch (kind) {
    case 'tumbling':
      return { kind, time, sizeMs: requiredInteger(window, 'sizeMs', 1, 'window.sizeMs') };
    case 'sliding':
      return {
        kind,
        time,
        sizeMs: requiredInteger(window, 'sizeMs', 1, 'window.sizeMs'),
        slideMs: requiredInteger(window, 'slideMs', 1, 'window.slideMs'),
      };
    case 'count': {
      const size = requiredInteger(window, 'size', 1, 'window.size');
      return {
        kind,
        time,
        size,
        slide: optionalInteger(window, 'slide', 1, 'window.slide') ?? size,
      };
    }
  }
}
