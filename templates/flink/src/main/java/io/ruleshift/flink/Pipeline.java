package io.ruleshift.flink;

import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What a job's transformation produces, without its RabbitMQ ends: JSON output messages and
 * dead letters. The job's main wires them to confirming sinks; tests collect them.
 */
public record Pipeline(DataStream<byte[]> outputs, DataStream<DeadLetter> deadLetters) {}
