package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Event timestamps and watermarks, with the edge engine's rules (windows/timestamp.ts). */
public final class EventTime {
  /** ISO-8601 with a required zone: a local time would mean something else on every machine. */
  private static final Pattern ISO_8601 =
      Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$");

  /**
   * A watermark subtask that saw no event for this long is idle: the operators after it take the
   * watermark of the others alone until it sees an event again (a parallel rule whose partition
   * queue is quiet). See docs/decisions.md ("Idle partitions").
   */
  public static final java.time.Duration IDLE_PARTITION = java.time.Duration.ofSeconds(2);

  private EventTime() {}

  /** ms since epoch from a JSON number (floored) or an ISO-8601 string with zone. */
  public static long read(JsonPath path, JsonNode event) throws Rejected {
    JsonNode value = path.read(event);
    if (value == null) throw Rejected.missing(path);
    if (value.isNumber()) {
      double ms = value.doubleValue();
      if (!Double.isFinite(ms)) throw Rejected.wrongType(path, DeadLetterDetail.TIMESTAMP_TYPE, value);
      return (long) Math.floor(ms);
    }
    if (value.isTextual() && ISO_8601.matcher(value.textValue()).matches()) {
      try {
        return OffsetDateTime.parse(value.textValue()).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        throw Rejected.wrongType(path, DeadLetterDetail.TIMESTAMP_TYPE, value);
      }
    }
    throw Rejected.wrongType(path, DeadLetterDetail.TIMESTAMP_TYPE, value);
  }
}
