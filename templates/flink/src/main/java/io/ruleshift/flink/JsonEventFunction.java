package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The first step of every template: parses the event body as JSON and hands it to
 * {@link #apply}. A body that is not JSON is dead-lettered "not-json", and a {@link Rejected}
 * thrown by {@link #apply} is dead-lettered with its own reason, so the templates only say what
 * they keep of an event.
 */
abstract class JsonEventFunction<OUT> extends ProcessFunction<RawEvent, OUT> {
  private static final long serialVersionUID = 1L;

  /** What the template emits for one parsed event, or null to emit nothing. */
  abstract OUT apply(RawEvent event, JsonNode json, Context ctx) throws Rejected;

  @Override
  public final void processElement(RawEvent event, Context ctx, Collector<OUT> out) {
    JsonNode json;
    try {
      json = Json.parse(event.body);
    } catch (Json.NotJson e) {
      ctx.output(DeadLetter.TAG, DeadLetter.of(event, DeadLetter.NOT_JSON, DeadLetterDetail.NOT_JSON));
      return;
    }
    OUT result;
    try {
      result = apply(event, json, ctx);
    } catch (Rejected e) {
      ctx.output(DeadLetter.TAG, DeadLetter.of(event, e.reason(), e.getMessage()));
      return;
    }
    if (result != null) out.collect(result);
  }
}
