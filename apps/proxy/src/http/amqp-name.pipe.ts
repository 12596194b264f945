import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailed, amqpNameProblem, type AmqpNameKind } from '@ruleshift/contracts';

/** A path parameter that names an exchange or routing key, checked by AMQP's rules. */
@Injectable()
export class AmqpNamePipe implements PipeTransform<unknown, string> {
  constructor(
    private readonly kind: AmqpNameKind,
    private readonly field: string,
  ) {}

  transform(value: unknown): string {
    const problem = amqpNameProblem(value, this.kind);
    if (problem) throw new ValidationFailed([{ field: this.field, reason: problem }]);
    return value as string;
  }
}
