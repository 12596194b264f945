package io.ruleshift.flink;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeoutException;

/**
 * The one place a job opens a RabbitMQ connection (its sources and sinks all come here).
 *
 * <p>No automatic recovery: a silent reconnect would lose track of unacked deliveries and
 * unconfirmed publishes, so a lost connection fails the task and the job restarts from its last
 * checkpoint. {@code amqps://} verifies the broker's certificate (against the configured CA, else
 * the JVM's) and its host name, and presents the client certificate when one is configured: the
 * Java client's own {@code setUri("amqps://...")} would trust any certificate.
 */
public final class RmqConnections {
  private RmqConnections() {}

  public static Connection open(RmqEndpoint endpoint, String clientName)
      throws IOException, TimeoutException {
    return factoryFor(endpoint).newConnection(clientName);
  }

  static ConnectionFactory factoryFor(RmqEndpoint endpoint) throws IOException {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(endpoint.uri());
    } catch (URISyntaxException | GeneralSecurityException e) {
      // The URI holds credentials: it never goes into a message.
      throw new IOException("the broker URI is not a valid amqp(s) URI");
    }
    if (endpoint.usesTls()) {
      try {
        factory.useSslProtocol(endpoint.tls().sslContext());
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot set up TLS for the broker: " + e.getMessage(), e);
      }
      factory.enableHostnameVerification();
    }
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    return factory;
  }
}
