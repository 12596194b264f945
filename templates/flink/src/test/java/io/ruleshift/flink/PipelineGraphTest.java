package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Job graphs the vectors do not cover (processing time) build; bad jobProps fail the build. */
class PipelineGraphTest {
  private static void build(String jobType, String jobProps, PipelineBuilder builder) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<RawEvent> source =
        env.fromData(List.of(new RawEvent(new byte[] {'{', '}'}, 0, "x", "rk")), TypeInformation.of(RawEvent.class));
    Pipeline pipeline =
        builder.build(env, List.of(source), VectorsTest.configFor(jobType, (ObjectNode) Json.parse(jobProps)));
    pipeline.outputs().addSink(new DiscardingSink<>());
    pipeline.deadLetters().addSink(new DiscardingSink<>());
    assertFalse(env.getStreamGraph().getStreamNodes().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"aggregate\":\"sum\",\"fieldJsonPath\":\"$.v\",\"window\":{\"kind\":\"tumbling\",\"time\":\"processing\",\"sizeMs\":1000}}",
        "{\"aggregate\":\"avg\",\"fieldJsonPath\":\"$.v\",\"window\":{\"kind\":\"sliding\",\"time\":\"processing\",\"sizeMs\":1000,\"slideMs\":500},\"allowedLatenessMs\":10}",
        "{\"aggregate\":\"count\",\"window\":{\"kind\":\"count\",\"size\":3},\"groupByJsonPath\":\"$.k\",\"maxKeys\":10}",
      })
  void windowAggregationGraphsBuild(String jobProps) {
    build("window-aggregation", jobProps, WindowAggregationJob::buildPipeline);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"aggregate\":\"sum\",\"window\":{\"kind\":\"tumbling\",\"sizeMs\":1000},\"timeFieldJsonPath\":\"$.t\"}",
        "{\"aggregate\":\"max\",\"fieldJsonPath\":\"$.v\",\"window\":{\"kind\":\"tumbling\",\"sizeMs\":1000}}",
        "{\"aggregate\":\"median\",\"fieldJsonPath\":\"$.v\",\"window\":{\"kind\":\"tumbling\",\"sizeMs\":1000},\"timeFieldJsonPath\":\"$.t\"}",
        "{\"aggregate\":\"min\",\"fieldJsonPath\":\"$.v\",\"window\":{\"kind\":\"sliding\",\"sizeMs\":1000},\"timeFieldJsonPath\":\"$.t\"}",
        "{\"aggregate\":\"min\",\"fieldJsonPath\":\"$.v[*]\",\"window\":{\"kind\":\"tumbling\",\"sizeMs\":1000},\"timeFieldJsonPath\":\"$.t\"}",
      })
  void badWindowAggregationPropsFail(String jobProps) {
    assertThrows(
        IllegalArgumentException.class,
        () -> build("window-aggregation", jobProps, WindowAggregationJob::buildPipeline));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"leftKeyJsonPath\":\"$.k\",\"rightKeyJsonPath\":\"$.k\",\"windowSizeMs\":1000}",
        "{\"leftKeyJsonPath\":\"$.k\",\"timeFieldJsonPath\":\"$.t\",\"windowSizeMs\":1000}",
        "{\"leftKeyJsonPath\":\"$.k\",\"rightKeyJsonPath\":\"$.k\",\"timeFieldJsonPath\":\"$.t\",\"windowSizeMs\":0}",
      })
  void badWindowJoinPropsFail(String jobProps) {
    assertThrows(
        IllegalArgumentException.class, () -> build("window-join", jobProps, WindowJoinJob::buildPipeline));
  }
}
