import { applyDecorators } from '@nestjs/common';
import { ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';
import { amqpNameProblem, type AmqpNameKind } from '@ruleshift/contracts';

/** Longest agent id, cluster name, template name or file name the API takes. */
export const MAX_NAME_LENGTH = 255;

/** An exchange, queue or routing key by AMQP's rules (the shared rule in contracts). */
export function IsAmqpName(kind: AmqpNameKind): PropertyDecorator {
  return ValidateBy({
    name: 'isAmqpName',
    validator: {
      validate: (value: unknown) => amqpNameProblem(value, kind) === null,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'value'} ${amqpNameProblem(args?.value, kind) ?? 'is invalid'}`,
    },
  });
}

/**
 * An optional field: absent is fine, `null` is not. class-validator's IsOptional lets null
 * through unchecked, so the adapter would get a null where it expects a value or nothing.
 * Put it last (nearest the property) so its message is the one reported.
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    ValidateBy({
      name: 'isNotNull',
      validator: {
        validate: (value: unknown) => value !== null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be left out rather than null`,
      },
    }),
  );
}
