package io.ruleshift.flink;

import java.io.Serializable;

/** A broker as a job's source or sink reaches it: the amqp(s) URI with credentials, and TLS files. */
public record RmqEndpoint(String uri, BrokerTls tls) implements Serializable {
  public boolean usesTls() {
    return uri.startsWith("amqps://");
  }
}
