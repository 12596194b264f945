package io.ruleshift.flink;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Program arguments of the snapshot jobs ({@link SnapshotExportJob}, {@link SnapshotImportJob}):
 * {@code --name value} pairs; {@code -base64} values are decoded as UTF-8 text.
 */
record StateArgs(Map<String, String> values) {
  static StateArgs parse(String[] args, String... names) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!name.startsWith("--") || !java.util.List.of(names).contains(name.substring(2))) {
        throw new IllegalArgumentException("unknown argument: " + name);
      }
      if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
      values.put(name.substring(2), args[i + 1]);
    }
    for (String name : names) {
      if (!values.containsKey(name)) throw new IllegalArgumentException("--" + name + " is required");
    }
    return new StateArgs(values);
  }

  String text(String name) {
    return values.get(name);
  }

  String decoded(String name) {
    return new String(Base64.getDecoder().decode(values.get(name).trim()), StandardCharsets.UTF_8);
  }
}
