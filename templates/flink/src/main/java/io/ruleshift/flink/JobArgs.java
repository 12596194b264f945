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
 * </pre>
 *
 * Connector endpoints are names ({@code edge}, {@code core}) or credential-free amqp URLs; a
 * {@code --broker} entry whose name is that exact URL supplies the credentials for it.
 */
public record JobArgs(RuleConfig config, Map<String, String> brokers, long checkpointIntervalMs) {

  public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 1000;

  public static JobArgs parse(String[] args) {
    String configBase64 = null;
    Map<String, String> brokers = new LinkedHashMap<>();
    long checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL_MS;
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
        default -> throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    if (configBase64 == null) throw new IllegalArgumentException("--config-base64 is required");
    String json =
        new String(Base64.getDecoder().decode(configBase64.trim()), StandardCharsets.UTF_8);
    return new JobArgs(RuleConfig.parse(json), Map.copyOf(brokers), checkpointInterval);
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
