package io.ruleshift.flink;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Program arguments every job takes:
 *
 * <pre>
 *   --config-base64 &lt;base64 of the RuleConfig JSON&gt;
 *   --broker &lt;endpointName&gt;=&lt;amqp-uri-with-credentials&gt;   (repeatable)
 *   --checkpoint-interval-ms &lt;ms&gt;                         (optional, default 1000)
 *   --tls-ca-file &lt;path&gt;    --tls-cert-file &lt;path&gt;    --tls-key-file &lt;path&gt;   (optional)
 *   --restored-outputs-confirmed                          (optional, no value)
 * </pre>
 *
 * Connector endpoints are names ({@code edge}, {@code core}) or credential-free amqp URLs; a
 * {@code --broker} entry whose name is that exact URL supplies the credentials for it. The TLS
 * files are paths on the TaskManagers, used for every {@code amqps://} broker (see {@link
 * BrokerTls}); only paths, never key material, are program arguments.
 *
 * <p>{@code --restored-outputs-confirmed}: the job is restored from the savepoint of a stop that
 * ended FINISHED, whose sinks' close() waited until the broker confirmed every output the
 * savepoint still lists as unconfirmed; the restored sinks then publish none of them again.
 */
public record JobArgs(
    RuleConfig config,
    Map<String, String> brokers,
    long checkpointIntervalMs,
    BrokerTls tls,
    boolean restoredOutputsConfirmed) {

  public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 1000;

  public static JobArgs parse(String[] args) {
    String configBase64 = null;
    Map<String, String> brokers = new LinkedHashMap<>();
    long checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL_MS;
    String caFile = null;
    String certFile = null;
    String keyFile = null;
    boolean restoredOutputsConfirmed = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--config-base64" -> configBase64 = value(args, ++i, arg);
        case "--broker" -> {
          String entry = value(args, ++i, arg);
          // Split at the first '=' that follows the name; URL names contain no '='.
          int eq = entry.indexOf('=');
          if (eq <= 0) throw new IllegalArgumentException("--broker expects <name>=<amqp-uri>");
          brokers.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        case "--checkpoint-interval-ms" ->
            checkpointInterval = Long.parseLong(value(args, ++i, arg));
        case "--tls-ca-file" -> caFile = value(args, ++i, arg);
        case "--tls-cert-file" -> certFile = value(args, ++i, arg);
        case "--tls-key-file" -> keyFile = value(args, ++i, arg);
        case "--restored-outputs-confirmed" -> restoredOutputsConfirmed = true;
        default -> throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    if (configBase64 == null) throw new IllegalArgumentException("--config-base64 is required");
    String json =
        new String(Base64.getDecoder().decode(configBase64.trim()), StandardCharsets.UTF_8);
    return new JobArgs(
        RuleConfig.parse(json),
        Map.copyOf(brokers),
        checkpointInterval,
        new BrokerTls(caFile, certFile, keyFile),
        restoredOutputsConfirmed);
  }

  /** The broker of a connector endpoint, as the job's sources and sinks connect to it. */
  public RmqEndpoint endpoint(String endpoint) {
    return new RmqEndpoint(brokerUri(endpoint), tls);
  }

  /** The amqp URI (with credentials) to connect to for a connector endpoint. */
  public String brokerUri(String endpoint) {
    String uri = brokers.get(endpoint);
    if (uri != null) return uri;
    if (endpoint.startsWith("amqp://") || endpoint.startsWith("amqps://")) return endpoint;
    throw new IllegalArgumentException(
        "no --broker entry for endpoint '" + endpoint + "' (known: " + brokers.keySet() + ")");
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
    return args[i];
  }
}
