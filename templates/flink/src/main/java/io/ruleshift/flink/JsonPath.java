package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSONPath subset shared with the edge engine (libs/engine json-path.ts): {@code $}, {@code
 * .key}, {@code ['key']}, {@code ["key"]} and {@code [index]} in any sequence; no filters,
 * wildcards or recursive descent. Parsed once into segments; reading is a plain loop, so a path
 * from jobProps never runs code. Error messages use the same wording as the edge engine.
 */
public final class JsonPath implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern INDEX = Pattern.compile("^(0|[1-9][0-9]*)$");
  private static final Pattern HEX4 = Pattern.compile("^[0-9a-fA-F]{4}$");
  /** JS Number.MAX_SAFE_INTEGER: the edge engine rejects larger indexes. */
  private static final long MAX_SAFE_INTEGER = 9007199254740991L;

  private final String expression;
  /** A String reads an object key, an Integer reads an array element. */
  private final List<Object> segments;

  private JsonPath(String expression, List<Object> segments) {
    this.expression = expression;
    this.segments = segments;
  }

  /** Compiles the path; throws {@link InvalidJsonPathException} naming {@code field}. */
  public static JsonPath compile(String path, String field) {
    try {
      return new JsonPath(path, Collections.unmodifiableList(parse(path)));
    } catch (SyntaxError e) {
      throw new InvalidJsonPathException(field, path, e.getMessage());
    }
  }

  public static JsonPath compile(String path) {
    return compile(path, "jsonPath");
  }

  /** Why {@code path} is not in the subset, or null when it is valid. */
  public static String validate(String path) {
    try {
      parse(path);
      return null;
    } catch (SyntaxError e) {
      return e.getMessage();
    }
  }

  public String expression() {
    return expression;
  }

  public List<Object> segments() {
    return segments;
  }

  /**
   * The node at the path, or null when a step is absent. A JSON null that is present is returned
   * as a NullNode (present but null), as the edge engine returns null rather than undefined.
   */
  public JsonNode read(JsonNode root) {
    JsonNode current = root;
    for (Object segment : segments) {
      if (current == null) return null;
      if (segment instanceof Integer index) {
        current = current.isArray() && index < current.size() ? current.get(index) : null;
      } else {
        current = current.isObject() ? current.get((String) segment) : null;
      }
    }
    return current;
  }

  @Override
  public String toString() {
    return expression;
  }

  static List<Object> parse(String path) {
    if (path == null) throw new SyntaxError("must be a string");
    if (path.isEmpty() || path.charAt(0) != '$') throw new SyntaxError("must start with '$'");
    List<Object> segments = new ArrayList<>();
    int i = 1;
    while (i < path.length()) {
      char ch = path.charAt(i);
      if (ch == '.') {
        if (i + 1 < path.length() && path.charAt(i + 1) == '.') {
          throw new SyntaxError("recursive descent '..' is not supported (at " + i + ")");
        }
        int start = i + 1;
        int end = start;
        while (end < path.length() && !isDotKeyStop(path.charAt(end))) end++;
        if (end == start) {
          String found = end < path.length() ? "'" + path.charAt(end) + "'" : "end of path";
          throw new SyntaxError("expected a key after '.' at " + i + ", found " + found);
        }
        segments.add(path.substring(start, end));
        i = end;
      } else if (ch == '[') {
        i = parseBracket(path, i, segments);
      } else {
        throw new SyntaxError("unexpected '" + ch + "' at " + i);
      }
    }
    return segments;
  }

  private static boolean isDotKeyStop(char c) {
    return c == '.' || c == '[' || c == ']' || c == '\'' || c == '"' || c == '*'
        || Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
  }

  private static int parseBracket(String path, int open, List<Object> segments) {
    char first = open + 1 < path.length() ? path.charAt(open + 1) : 0;
    if (first == '\'' || first == '"') {
      int[] after = new int[1];
      String key = parseQuoted(path, open + 1, after);
      if (after[0] >= path.length() || path.charAt(after[0]) != ']') {
        throw new SyntaxError("expected ']' at " + after[0]);
      }
      segments.add(key);
      return after[0] + 1;
    }
    int close = path.indexOf(']', open);
    if (close < 0) throw new SyntaxError("unterminated '[' at " + open);
    String body = path.substring(open + 1, close);
    if (body.equals("*")) {
      throw new SyntaxError("wildcard '[*]' is not supported (at " + open + ")");
    }
    if (!INDEX.matcher(body).matches()) {
      throw new SyntaxError(
          "expected a non-negative array index or a quoted key inside '[]' at "
              + open
              + ", found '"
              + body
              + "'");
    }
    long index;
    try {
      index = body.length() > 16 ? Long.MAX_VALUE : Long.parseLong(body);
    } catch (NumberFormatException e) {
      index = Long.MAX_VALUE;
    }
    if (index > MAX_SAFE_INTEGER) throw new SyntaxError("array index too large at " + open);
    // Arrays in Jackson are int-indexed: a larger index can never match, clamp it.
    segments.add((int) Math.min(index, Integer.MAX_VALUE));
    return close + 1;
  }

  private static String parseQuoted(String path, int quoteAt, int[] after) {
    char quote = path.charAt(quoteAt);
    StringBuilder key = new StringBuilder();
    int i = quoteAt + 1;
    while (i < path.length()) {
      char ch = path.charAt(i);
      if (ch == quote) {
        after[0] = i + 1;
        return key.toString();
      }
      if (ch != '\\') {
        key.append(ch);
        i++;
        continue;
      }
      char esc = i + 1 < path.length() ? path.charAt(i + 1) : 0;
      if (esc == 'u') {
        String hex = path.substring(Math.min(i + 2, path.length()), Math.min(i + 6, path.length()));
        if (!HEX4.matcher(hex).matches()) throw new SyntaxError("bad \\u escape at " + i);
        key.append((char) Integer.parseInt(hex, 16));
        i += 6;
        continue;
      }
      switch (esc) {
        case '\\' -> key.append('\\');
        case '\'' -> key.append('\'');
        case '"' -> key.append('"');
        case '/' -> key.append('/');
        case 'b' -> key.append('\b');
        case 'f' -> key.append('\f');
        case 'n' -> key.append('\n');
        case 'r' -> key.append('\r');
        case 't' -> key.append('\t');
        default -> throw new SyntaxError("bad escape at " + i);
      }
      i += 2;
    }
    throw new SyntaxError("unterminated quoted key starting at " + quoteAt);
  }

  private static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message);
    }
  }

  /** A path outside the subset; the message names the jobProps field and the reason. */
  public static final class InvalidJsonPathException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String reason;

    InvalidJsonPathException(String field, String path, String reason) {
      super(field + ": invalid JSONPath \"" + path + "\": " + reason);
      this.field = field;
      this.reason = reason;
    }

    public String field() {
      return field;
    }

    public String reason() {
      return reason;
    }
  }
}
