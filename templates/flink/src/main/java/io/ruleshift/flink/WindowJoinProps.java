package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/** window-join jobProps, checked once when the job graph is built. */
public record WindowJoinProps(
    JsonPath leftKeyPath,
    JsonPath rightKeyPath,
    JsonPath leftTimePath,
    JsonPath rightTimePath,
    long windowSizeMs,
    long maxOutOfOrdernessMs,
    long maxKeys)
    implements Serializable {

  public static WindowJoinProps parse(JsonNode props) {
    JsonPath shared = WindowAggregationProps.optionalPath(props, "timeFieldJsonPath");
    JsonPath left = WindowAggregationProps.optionalPath(props, "leftTimeFieldJsonPath");
    JsonPath right = WindowAggregationProps.optionalPath(props, "rightTimeFieldJsonPath");
    if (left == null) left = shared;
    if (right == null) right = shared;
    if (left == null || right == null) {
      throw new IllegalArgumentException(
          "jobProps.timeFieldJsonPath (or leftTimeFieldJsonPath and rightTimeFieldJsonPath) is required");
    }
    return new WindowJoinProps(
        WindowAggregationProps.requiredPath(props, "leftKeyJsonPath"),
        WindowAggregationProps.requiredPath(props, "rightKeyJsonPath"),
        left,
        right,
        WindowAggregationProps.positive(props, "windowSizeMs"),
        WindowAggregationProps.nonNegative(props, "maxOutOfOrdernessMs"),
        WindowAggregationProps.maxKeys(props));
  }
}
