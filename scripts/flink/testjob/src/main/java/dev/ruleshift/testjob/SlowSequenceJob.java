package dev.ruleshift.testjob;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * Counts up forever, one number per interval, into a sink that discards: a job that stays
 * RUNNING and has state, so tests can run, savepoint, stop and restore it.
 *
 * <p>Arguments: {@code [--interval-ms N] [--name NAME]}. {@code main()} returns as soon as the
 * job is submitted ({@code executeAsync}), because /jars/{id}/run runs it inside the JobManager.
 */
public final class SlowSequenceJob {

  private SlowSequenceJob() {}

  public static void main(String[] args) throws Exception {
    long intervalMs = 200;
    String name = "ruleshift-testjob";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--interval-ms":
          intervalMs = Long.parseLong(args[i + 1]);
          break;
        case "--name":
          name = args[i + 1];
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.addSource(new SlowSequenceSource(intervalMs), "slow-sequence")
        .setParallelism(1)
        .uid("slow-sequence")
        .sinkTo(new DiscardingSink<>())
        .name("discard")
        .uid("discard");
    env.executeAsync(name);
  }

  /** Emits 0, 1, 2, ...; the next number is kept in operator state so a savepoint resumes it. */
  static final class SlowSequenceSource implements SourceFunction<Long>, CheckpointedFunction {
    private final long intervalMs;
    private volatile boolean running = true;
    private long next;
    private transient ListState<Long> nextState;

    SlowSequenceSource(long intervalMs) {
      this.intervalMs = intervalMs;
    }

    @Override
    public void run(SourceContext<Long> ctx) throws Exception {
      while (running) {
        synchronized (ctx.getCheckpointLock()) {
          ctx.collect(next++);
        }
        Thread.sleep(intervalMs);
      }
    }

    @Override
    public void cancel() {
      running = false;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
      nextState.update(java.util.Collections.singletonList(next));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
      nextState =
          context
              .getOperatorStateStore()
              .getListState(new ListStateDescriptor<>("next", Types.LONG));
      for (Long restored : nextState.get()) {
        next = restored;
      }
    }
  }
}
