/**
 * An InputEvent whose fields were extracted from its text (see json-path/field-extractor): the
 * whole value is parsed on first read of `value`, at most once. The text was validated when
 * the fields were extracted, so that parse cannot fail.
 */
import type { InputEvent } from '../edge-rule';

const UNPARSED: unique symbol = Symbol('unparsed');

export class ExtractedEvent implements InputEvent {
  private parsed: unknown = UNPARSED;

  constructor(
    readonly fields: Record<string, unknown>,
    private readonly text: string,
    readonly input: number,
    readonly seq: number,
    readonly arrivedAt: number,
    readonly raw: Buffer | string,
  ) {}

  get value(): unknown {
    if (this.parsed === UNPARSED) this.parsed = JSON.parse(this.text);
    return this.parsed;
  }
}
