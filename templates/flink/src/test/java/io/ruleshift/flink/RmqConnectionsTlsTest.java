package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * amqps:// from the jobs' one connection factory against a real TLS broker: a RabbitMQ node of
 * the test's own (scripts/tls/rabbitmq-tls.sh on free ports: verify_peer, fail_if_no_peer_cert,
 * certificates made with openssl), stopped afterwards. With the CA and the client certificate
 * the source and the sink work; the broker is refused when its certificate is checked against
 * another CA or against the JVM's CAs, and the broker refuses a job without a client certificate.
 */
class RmqConnectionsTlsTest {
  private static final Path SCRIPT = Path.of("../../scripts/tls/rabbitmq-tls.sh").toAbsolutePath().normalize();
  private static Map<String, String> nodeEnv;
  private static Path certs;
  private static int tlsPort;

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void script(String action) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), action).inheritIO();
    builder.environment().putAll(nodeEnv);
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("rabbitmq-tls.sh " + action + " failed");
    }
  }

  @BeforeAll
  static void startTlsNode() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path dir = Files.createTempDirectory("ruleshift-flink-tls-");
    tlsPort = freePort();
    nodeEnv =
        Map.of(
            "TLS_RABBITMQ_NODE", "ruleshift-flink-tls-" + id + "@localhost",
            "TLS_RABBITMQ_PORT", String.valueOf(freePort()),
            "TLS_RABBITMQ_TLS_PORT", String.valueOf(tlsPort),
            "TLS_RABBITMQ_DIST_PORT", String.valueOf(freePort()),
            "TLS_RABBITMQ_DIR", dir.toString());
    certs = dir.resolve("certs");
    script("start");
  }

  @AfterAll
  static void stopTlsNode() throws Exception {
    if (nodeEnv != null) script("stop");
  }

  private static String cert(String name) {
    return certs.resolve(name).toString();
  }

  private static RmqEndpoint endpoint(BrokerTls tls) {
    return new RmqEndpoint("amqps://guest:guest@localhost:" + tlsPort + "/%2F", tls);
  }

  @Test
  void sourceAndSinkWorkWithTheCaAndTheClientCertificate() throws Exception {
    RmqEndpoint broker = endpoint(new BrokerTls(cert("ca.pem"), cert("client.pem"), cert("client.key")));
    String queue = "flink-io-tls-" + UUID.randomUUID();
    try (Connection admin = RmqConnections.open(broker, "tls-test-admin")) {
      Channel channel = admin.createChannel();
      channel.queueDeclare(queue, true, false, false, null);

      RmqSinkWriter<byte[]> writer =
          new RmqSinkWriter<>(broker, "tls-test-sink", "job:out:0:", 0, RabbitMqJob.outputs("", queue));
      writer.write("{\"over\":\"tls\"}".getBytes(StandardCharsets.UTF_8), null);
      writer.flush(false);
      writer.close();

      RmqSourceReader reader = new RmqSourceReader(broker, 10, "tls-test-source");
      RmqSourceReaderTest.Collected out = new RmqSourceReaderTest.Collected();
      reader.addSplits(List.of(new RmqQueueSplit(0, 0, queue, List.of())));
      RmqSourceReaderTest.pollUntil(reader, out, 1);
      reader.close();
      assertEquals(List.of("{\"over\":\"tls\"}"), out.bodies);
      channel.queueDelete(queue);
    }
  }

  @Test
  void aBrokerCertificateOfAnotherCaIsRefused() {
    // stranger.pem is a self-signed certificate the broker's was not issued by.
    IOException refused =
        assertThrows(
            IOException.class,
            () -> RmqConnections.open(endpoint(new BrokerTls(cert("stranger.pem"), cert("client.pem"), cert("client.key"))), "tls-test-wrong-ca").close());
    assertTrue(causedBy(refused, SSLException.class), refused.toString());
  }

  @Test
  void withoutACaFileTheJvmsCasDecideAndRefuseAPrivateCa() {
    IOException refused =
        assertThrows(
            IOException.class,
            () -> RmqConnections.open(endpoint(new BrokerTls(null, cert("client.pem"), cert("client.key"))), "tls-test-no-ca").close());
    assertTrue(causedBy(refused, SSLException.class), refused.toString());
  }

  @Test
  void theBrokerRefusesAJobWithoutAClientCertificate() {
    assertThrows(
        Exception.class,
        () -> RmqConnections.open(endpoint(new BrokerTls(cert("ca.pem"), null, null)), "tls-test-no-cert").close());
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
    return false;
  }
}
