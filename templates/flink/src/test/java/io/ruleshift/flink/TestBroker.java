package io.ruleshift.flink;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The machine's RabbitMQ for the source and sink tests (RABBITMQ_TEST_URI, default guest on
 * 127.0.0.1:5672, vhost /): queues with unique names, deleted at close.
 */
final class TestBroker implements AutoCloseable {
  static final String URI =
      System.getenv().getOrDefault("RABBITMQ_TEST_URI", "amqp://guest:guest@127.0.0.1:5672/%2F");
  static final RmqEndpoint ENDPOINT = new RmqEndpoint(URI, BrokerTls.NONE);

  final String prefix = "flink-io-test-" + UUID.randomUUID();
  private final Connection connection;
  final Channel channel;
  private final List<String> queues = new ArrayList<>();

  TestBroker() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(URI);
    connection = factory.newConnection("flink-io-test");
    channel = connection.createChannel();
    channel.confirmSelect();
  }

  String queue(String name) throws Exception {
    String queue = prefix + "." + name;
    channel.queueDeclare(queue, true, false, false, null);
    queues.add(queue);
    return queue;
  }

  void publish(String queue, String correlationId, String body) throws Exception {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder().deliveryMode(2).correlationId(correlationId).build();
    channel.basicPublish("", queue, props, body.getBytes(StandardCharsets.UTF_8));
  }

  void confirmed() throws Exception {
    channel.waitForConfirmsOrDie(30_000);
  }

  /** Ready messages (not those a consumer holds unacked). */
  long ready(String queue) throws Exception {
    return channel.queueDeclarePassive(queue).getMessageCount();
  }

  /** Takes up to {@code n} messages, waiting at most {@code timeoutMs} for them. */
  List<GetResponse> take(String queue, int n, long timeoutMs) throws Exception {
    List<GetResponse> got = new ArrayList<>();
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (got.size() < n && System.currentTimeMillis() < deadline) {
      GetResponse response = channel.basicGet(queue, true);
      if (response == null) Thread.sleep(20);
      else got.add(response);
    }
    return got;
  }

  @Override
  public void close() throws Exception {
    for (String queue : queues) channel.queueDelete(queue);
    connection.close();
  }
}
