package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SnapshotExportJob} on the savepoint of a parallel rule, whose watermark subtasks each
 * saved their own largest event time: the snapshot's watermark is the slowest subtask's, the one
 * the windows after them fired at, so a window only the fastest subtask's time had passed stays
 * open on the engine that takes the snapshot.
 */
class SnapshotExportParallelTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder().setNumberSlotsPerTaskManager(4).build());

  @TempDir static Path savepoints;

  @Test
  void theSnapshotWatermarkIsTheSlowestSubtasksAndItsOpenWindowsStayOpen() throws Exception {
    ObjectNode props =
        (ObjectNode)
            Json.parse(
                "{\"aggregate\":\"sum\",\"fieldJsonPath\":\"$.v\",\"groupByJsonPath\":\"$.k\","
                    + "\"timeFieldJsonPath\":\"$.ts\",\"window\":{\"kind\":\"tumbling\",\"time\":\"event\",\"sizeMs\":5000}}");
    RuleConfig config = VectorsTest.configFor("window-aggregation", props);
    // Windows [0, 5000) and [5000, 10000) of key "a", open; no watermark yet.
    JsonNode snapshot =
        Json.parse(
            "{\"format\":\"ruleshift.snapshot/v1\",\"jobId\":\"p\",\"jobType\":\"window-aggregation\","
                + "\"templateVersion\":\"test\",\"takenAt\":\"2026-01-01T00:00:00Z\",\"watermark\":null,"
                + "\"state\":{\"windows\":["
                + "{\"key\":\"a\",\"start\":0,\"end\":5000,\"count\":1,\"sum\":1,\"min\":1,\"max\":1},"
                + "{\"key\":\"a\",\"start\":5000,\"end\":10000,\"count\":1,\"sum\":2,\"min\":2,\"max\":2}],"
                + "\"countWindows\":[]}}");
    String windowsOnly = savepoints.resolve("windows").toUri().toString();
    StreamExecutionEnvironment importing = StreamExecutionEnvironment.getExecutionEnvironment();
    SnapshotImportJob.build(importing, config, snapshot, windowsOnly);
    importing.execute("import");

    // Three watermark subtasks had seen up to 12000, 7000 and 9000: the windows after them saw
    // watermark 7000, so [0, 5000) fired and [5000, 10000) is still open.
    String parallel = savepoints.resolve("parallel").toUri().toString();
    StreamExecutionEnvironment writing = StreamExecutionEnvironment.getExecutionEnvironment();
    writing.setParallelism(3);
    SavepointWriter.fromExistingSavepoint(writing, windowsOnly, new HashMapStateBackend())
        .removeOperator(OperatorIdentifier.forUid(EventTimeWatermarks.UID))
        .withOperator(
            OperatorIdentifier.forUid(EventTimeWatermarks.UID),
            OperatorTransformation.bootstrapWith(writing.fromData(List.of(12_000L, 7_000L, 9_000L), Types.LONG))
                .transform(new SnapshotImportJob.WriteMaxEventTime()))
        .write(parallel);
    writing.execute("three watermark subtasks");

    StreamExecutionEnvironment exporting = StreamExecutionEnvironment.getExecutionEnvironment();
    SnapshotExportJob.build(exporting, config, parallel);
    JsonNode exported =
        Json.parse(
            exporting.execute("export").getAccumulatorResult(SnapshotExportJob.ACCUMULATOR).toString());
    // The edge takes [5000, 10000) as open (end > watermark); with 12000 it would take it as fired.
    assertEquals(7000, exported.get("watermark").asLong());
    assertEquals(10000, exported.path("state").path("windows").get(1).get("end").asLong());
  }
}
