package io.ruleshift.flink;

import java.util.ArrayList;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The RabbitMQ ends every job shares: exactly-once sources on the input queues (FLIP-27
 * {@link RmqSource}), a confirming {@link RmqSink} for outputs and one for dead letters per broker. The transformation in between is the
 * job's {@link PipelineBuilder}.
 */
public final class RabbitMqJob {
  /**
   * The source acks only when a checkpoint completes, so a queue delivers at most this many
   * events per checkpoint interval (plus the time a checkpoint takes to complete): 5,000 capped
   * a rule at under 5,000 events/s with the default 1 s interval; 50,000 leaves room above what
   * one queue delivers on this class of machine (~25,000/s).
   */
  static final int DEFAULT_PREFETCH = 50_000;

  /** Names of the sinks, which are also their message-id spaces (see RmqSink). */
  static final String OUTPUT_SINK = "out";

  static String deadLetterSink(int n) {
    return "dlx-" + n;
  }

  private RabbitMqJob() {}

  public static void run(String[] args, PipelineBuilder builder) throws Exception {
    JobArgs jobArgs = JobArgs.parse(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    build(env, jobArgs, builder);
    RuleConfig config = jobArgs.config();
    env.execute("ruleshift " + config.jobType() + " " + config.jobId());
  }

  /** The whole job on {@code env}: sources, the job's pipeline, sinks (not executed). */
  static void build(StreamExecutionEnvironment env, JobArgs jobArgs, PipelineBuilder builder) {
    RuleConfig config = jobArgs.config();
    configure(env);
    env.enableCheckpointing(jobArgs.checkpointIntervalMs(), CheckpointingMode.EXACTLY_ONCE);
    // Inputs are acked at every checkpoint, so a rule restarted after FAILED or CANCELED must
    // resume from its newest checkpoint: keep it whatever the cluster's default says.
    env.getCheckpointConfig()
        .setExternalizedCheckpointRetention(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);

    // The rule's parallelism: sources (one reader per partition queue at most), the operators
    // that follow them, keyed operators and sinks. Keyed state stays partitioned by the rule's key.
    env.setParallelism(config.parallelism());

    List<DataStream<RawEvent>> inputs = new ArrayList<>();
    List<RuleConfig.Input> connectors = config.connectors().inputs();
    int prefetch =
        config.connectors().prefetch() != null ? config.connectors().prefetch() : DEFAULT_PREFETCH;
    for (int i = 0; i < connectors.size(); i++) {
      RuleConfig.Input input = connectors.get(i);
      RmqSource source =
          new RmqSource(
              jobArgs.endpoint(input.endpoint()),
              i,
              input.queues(),
              prefetch,
              "ruleshift-flink-source-" + config.jobId() + ":" + i);
      inputs.add(
          env.fromSource(
                  source,
                  WatermarkStrategy.noWatermarks(),
                  "rmq-in-" + i + ":" + String.join(",", input.queues()),
                  TypeInformation.of(RawEvent.class))
              .uid("rmq-source-" + i)
              .setParallelism(config.parallelism()));
    }

    Pipeline pipeline = builder.build(env, inputs, config);
    RuleConfig.Output output = config.connectors().output();
    RmqEndpoint outputBroker = jobArgs.endpoint(output.endpoint());
    (pipeline.routedOutputs() != null
            ? pipeline
                .routedOutputs()
                .sinkTo(
                    new RmqSink<>(
                        outputBroker,
                        config.jobId(),
                        OUTPUT_SINK,
                        routedOutputs(output.exchange(), output.routingKey()),
                        jobArgs.restoredOutputsConfirmed()))
            : pipeline
                .outputs()
                .sinkTo(
                    new RmqSink<>(
                        outputBroker,
                        config.jobId(),
                        OUTPUT_SINK,
                        outputs(output.exchange(), output.routingKey()),
                        jobArgs.restoredOutputsConfirmed())))
        .name("rmq-out:" + output.exchange())
        .uid("rmq-output-sink");
    sinkDeadLetters(pipeline.deadLetters(), config, jobArgs);
  }

  /** Dead letters go to the DLX on the broker of the input they came from. */
  private static void sinkDeadLetters(
      DataStream<DeadLetter> deadLetters, RuleConfig config, JobArgs jobArgs) {
    Map<String, List<Integer>> inputsByBroker = new LinkedHashMap<>();
    List<RuleConfig.Input> inputs = config.connectors().inputs();
    for (int i = 0; i < inputs.size(); i++) {
      inputsByBroker
          .computeIfAbsent(jobArgs.brokerUri(inputs.get(i).endpoint()), k -> new ArrayList<>())
          .add(i);
    }
    int n = 0;
    for (Map.Entry<String, List<Integer>> broker : inputsByBroker.entrySet()) {
      List<Integer> owned = List.copyOf(broker.getValue());
      DataStream<DeadLetter> mine =
          inputsByBroker.size() == 1
              ? deadLetters
              : deadLetters.filter(d -> owned.contains(d.input)).name("dead-letters-" + n);
      mine.sinkTo(
              new RmqSink<>(
                  jobArgs.endpoint(inputs.get(owned.get(0)).endpoint()),
                  config.jobId(),
                  deadLetterSink(n),
                  deadLetterMessages(config),
                  jobArgs.restoredOutputsConfirmed()))
          .name("rmq-dlx-" + n + ":" + config.deadLetterExchange())
          .uid("rmq-dead-letter-sink-" + n);
      n++;
    }
  }

  /**
   * Settings the pipelines are tested with too (VectorsTest). Object reuse: chained operators
   * hand records on without a defensive copy each. Safe because every operator of ours emits new
   * objects and never changes a record it was given, and the operators that keep records in state
   * (windows, join buffers) sit behind a keyBy, whose network input deserialises fresh objects.
   */
  static void configure(StreamExecutionEnvironment env) {
    env.getConfig().enableObjectReuse();
  }

  static RmqMessage.Mapper<byte[]> outputs(String exchange, String routingKey) {
    return body -> new RmqMessage(exchange, routingKey, null, body);
  }

  /** An output that asked for its own routing key gets it; the others get the connector's. */
  static RmqMessage.Mapper<RoutedOutput> routedOutputs(String exchange, String routingKey) {
    return out ->
        new RmqMessage(
            exchange, out.routingKey != null ? out.routingKey : routingKey, null, out.body);
  }

  static RmqMessage.Mapper<DeadLetter> deadLetterMessages(RuleConfig config) {
    String exchange = config.deadLetterExchange();
    String jobId = config.jobId();
    return dead ->
        new RmqMessage(exchange, jobId, deadLetterHeaders(dead, jobId, System.currentTimeMillis()), dead.body);
  }

  /** The x-ruleshift-* headers, as the edge runner sets them (libs/engine runner/dead-letter.ts). */
  static Map<String, Object> deadLetterHeaders(DeadLetter dead, String jobId, long nowMs) {
    Map<String, Object> headers = new HashMap<>();
    headers.put("x-ruleshift-reason", dead.reason);
    headers.put("x-ruleshift-detail", dead.detail == null ? "" : dead.detail);
    headers.put("x-ruleshift-job-id", jobId);
    headers.put("x-ruleshift-dead-lettered-at", ISO_MILLIS.format(Instant.ofEpochMilli(nowMs)));
    headers.put("x-ruleshift-source-exchange", nullToEmpty(dead.sourceExchange));
    headers.put("x-ruleshift-source-routing-key", nullToEmpty(dead.sourceRoutingKey));
    return headers;
  }

  /** JavaScript's Date.toISOString: always milliseconds, always Z. */
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
