import { InvalidArgumentError, Option } from 'commander';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/output-format';

/** `-o table|json|yaml|name`, the same on every command that prints resources. */
export const outputOption = () =>
  new Option('-o, --output <format>', 'how to print the result')
    .choices(OUTPUT_FORMATS)
    .default('table');

export interface OutputOptions {
  output: OutputFormat;
}

/** A whole number of at least `min`, for counts and limits (commander's argParser). */
export const positiveInteger =
  (name: string, min = 1) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
    }
    return n;
  };
