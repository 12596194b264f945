package io.ruleshift.bench.siddhi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * Output canonicalisation shared (by definition, not by code) with the TypeScript side: sorted
 * lines, joined with '\n', sha256 in hex. Numbers are written from their exact binary value so
 * Java and JavaScript agree (JavaScript's toFixed rounds the exact value half up too).
 */
final class Canonical {
  private Canonical() {}

  static String fixed6(double value) {
    return new BigDecimal(value).setScale(6, RoundingMode.HALF_UP).toPlainString();
  }

  static String checksum(List<String> lines) {
    List<String> sorted = new ArrayList<>(lines);
    Collections.sort(sorted);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < sorted.size(); i++) {
        if (i > 0) sha.update((byte) '\n');
        sha.update(sorted.get(i).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
