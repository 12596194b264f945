import { optionalInteger, propsObject, requiredInteger, requiredString } from './props-readers';

/** window-join jobProps with defaults applied. */
export interface WindowJoinProps {
  leftKeyJsonPath: string;
  rightKeyJsonPath: string;
  timeFieldJsonPath: string;
  windowSizeMs: number;
  maxOutOfOrdernessMs: number;
  maxKeys?: number;
}

export function parseWindowJoinProps(jobProps: unknown): WindowJoinProps {
  const props = propsObject(jobProps, '');
  return {
    leftKeyJsonPath: requiredString(props, 'leftKeyJsonPath'),
    rightKeyJsonPath: requiredString(props, 'rightKeyJsonPath'),
    timeFieldJsonPath: requiredString(props, 'timeFieldJsonPath'),
    windowSizeMs: requiredInteger(props, 'windowSizeMs', 1),
    maxOutOfOrdernessMs: optionalInteger(props, 'maxOutOfOrdernessMs', 0) ?? 0,
    maxKeys: optionalInteger(props, 'maxKeys', 1),
  };
}
