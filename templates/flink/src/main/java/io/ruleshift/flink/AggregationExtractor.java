package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/** Reads key, time and value out of an event for a window aggregation. Pure: no Flink. */
public final class AggregationExtractor implements Serializable {
  private static final long serialVersionUID = 1L;
  private final WindowAggregationProps props;

  public AggregationExtractor(WindowAggregationProps props) {
    this.props = props;
  }

  /**
   * Fills {@code into} from {@code event}; {@code arrivalTime} stands in for event time in
   * processing-time windows (and in count windows without a time field).
   */
  public void extract(JsonNode event, long arrivalTime, AggregationInput into) throws Rejected {
    into.timestamp = props.timePath() != null && props.eventTime()
        ? EventTime.read(props.timePath(), event)
        : arrivalTime;
    into.key = KeyText.NULL;
    if (props.groupByPath() != null) {
      JsonNode key = props.groupByPath().read(event);
      if (key == null) throw Rejected.missing(props.groupByPath());
      into.key = KeyText.of(key);
    }
    into.value = 0;
    if (props.aggregate() != WindowAggregationProps.Aggregate.COUNT) {
      JsonNode value = props.valuePath().read(event);
      if (value == null) throw Rejected.missing(props.valuePath());
      if (!value.isNumber()) throw Rejected.wrongType(props.valuePath(), "a number", value);
      into.value = value.doubleValue();
    }
  }
}
