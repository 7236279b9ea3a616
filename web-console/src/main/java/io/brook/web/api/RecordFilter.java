package io.brook.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.Record;

/**
 * A record filter from the {@code filter}, {@code filterIn} and {@code filterMode} query parameters:
 * {@code substring} or {@code regex} on the key, the value or one header's value (decoded as UTF-8),
 * or {@code jsonpath}: {@code $.a.b[0]=VALUE}, a dotted/indexed path into the JSON value (or key, or
 * header) that must equal a JSON scalar ({@code 42}, {@code "text"}, {@code true}, {@code null}; a
 * bare word is taken as a string).
 *
 * <p>Time bound: a regex can backtrack for minutes ({@code (a+)+$} on a long value). Matching reads
 * the text through a char sequence that checks a deadline every few thousand characters and throws
 * {@link DeadlineExceeded} once it passed, so no regex outlives the scan's time bound. Matching is
 * CPU work and runs on a worker thread, never an event loop. Immutable once parsed; any thread.
 */
final class RecordFilter {
  /** Longest {@code filter} text accepted; a regex or path longer than this is refused. */
  static final int MAX_FILTER_CHARS = 1024;
  static final int MAX_PATH_STEPS = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Mode { SUBSTRING, REGEX, JSONPATH }

  /** Thrown by a match once the deadline passed; the record it was checking counts as not scanned. */
  static final class DeadlineExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadlineExceeded() {
      super("search deadline passed", null, false, false);
    }
  }

  private final Mode mode;
  private final String in; // "key", "value" or a header name
  private final boolean header;
  private final String text;
  private final Pattern pattern;
  private final List<Object> path; // String field names and Integer indexes
  private final JsonNode expected;

  private RecordFilter(Mode mode, String in, boolean header, String text, Pattern pattern, List<Object> path,
      JsonNode expected) {
    this.mode = mode;
    this.in = in;
    this.header = header;
    this.text = text;
    this.pattern = pattern;
    this.path = path;
    this.expected = expected;
  }

  /** The filter of a request, or null when it has no {@code filter} parameter. */
  static RecordFilter fromQuery(RoutingContext ctx) {
    String filter = ctx.queryParams().get("filter");
    String filterIn = ctx.queryParams().get("filterIn");
    String filterMode = ctx.queryParams().get("filterMode");
    if (filter == null || filter.isEmpty()) {
      if (filterIn != null || filterMode != null) {
        throw new InvalidRequestException("filterIn and filterMode need a non-empty 'filter'");
      }
      return null;
    }
    return parse(filter, filterIn == null ? "value" : filterIn, filterMode == null ? "substring" : filterMode);
  }

  static RecordFilter parse(String filter, String filterIn, String filterMode) {
    if (filter.length() > MAX_FILTER_CHARS) {
      throw new InvalidRequestException("filter is longer than " + MAX_FILTER_CHARS + " characters");
    }
    boolean header = filterIn.startsWith("header:");
    String in = header ? filterIn.substring(7) : filterIn;
    if (header ? in.isEmpty() || in.length() > 256 : !in.equals("key") && !in.equals("value")) {
      throw new InvalidRequestException("filterIn must be key, value or header:NAME, was '"
          + Params.abbreviate(filterIn) + "'");
    }
    switch (filterMode) {
      case "substring":
        return new RecordFilter(Mode.SUBSTRING, in, header, filter, null, null, null);
      case "regex":
        try {
          return new RecordFilter(Mode.REGEX, in, header, filter, Pattern.compile(filter), null, null);
        } catch (PatternSyntaxException e) {
          throw new InvalidRequestException("filter is not a valid regex: " + e.getDescription() + " near index "
              + e.getIndex());
        }
      case "jsonpath":
        return jsonPath(filter, in, header);
      default:
        throw new InvalidRequestException("filterMode must be substring, regex or jsonpath, was '"
            + Params.abbreviate(filterMode) + "'");
    }
  }

  private static RecordFilter jsonPath(String filter, String in, boolean header) {
    int equals = filter.indexOf('=');
    if (!filter.startsWith("$") || equals < 0) {
      throw new InvalidRequestException("a jsonpath filter looks like $.a.b[0]=VALUE, was '"
          + Params.abbreviate(filter) + "'");
    }
    List<Object> path = parsePath(filter.substring(0, equals).strip());
    String literal = filter.substring(equals + 1).strip();
    JsonNode expected;
    try {
      expected = JSON.readTree(literal);
    } catch (JsonProcessingException notJson) {
      expected = null;
    }
    if (expected == null || expected.isMissingNode()) {
      expected = JSON.getNodeFactory().textNode(literal); // a bare word: the string itself
    } else if (expected.isContainerNode()) {
      throw new InvalidRequestException("a jsonpath filter compares with a scalar (number, string, true, false,"
          + " null), not " + Params.abbreviate(literal));
    }
    return new RecordFilter(Mode.JSONPATH, in, header, filter, null, path, expected);
  }

  /** {@code $}, then {@code .name} and {@code [index]} steps. */
  static List<Object> parsePath(String text) {
    List<Object> steps = new ArrayList<>();
    int i = 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        if (end == i + 1) {
          throw new InvalidRequestException("jsonpath has an empty field name at index " + i + ": " + text);
        }
        steps.add(text.substring(i + 1, end));
        i = end;
      } else if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw new InvalidRequestException("jsonpath has an unclosed '[' at index " + i + ": " + text);
        }
        steps.add(Params.intValue("jsonpath index", text.substring(i + 1, close), 0, Integer.MAX_VALUE));
        i = close + 1;
      } else {
        throw new InvalidRequestException("jsonpath expects '.' or '[' at index " + i + ": " + Params.abbreviate(text));
      }
      if (steps.size() > MAX_PATH_STEPS) {
        throw new InvalidRequestException("jsonpath has more than " + MAX_PATH_STEPS + " steps");
      }
    }
    if (steps.isEmpty()) {
      throw new InvalidRequestException("jsonpath needs at least one step after '$', e.g. $.id=42");
    }
    return steps;
  }

  /**
   * Whether the record passes. Throws {@link DeadlineExceeded} when {@code deadlineNs} (System.nanoTime)
   * passes during the match.
   */
  boolean matches(Record record, long deadlineNs) {
    ByteBuffer bytes = field(record);
    if (bytes == null) {
      return false;
    }
    String content = StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
    switch (mode) {
      case SUBSTRING:
        return content.contains(text);
      case REGEX:
        return pattern.matcher(new DeadlineChars(content, deadlineNs)).find();
      default:
        return jsonEquals(content);
    }
  }

  private ByteBuffer field(Record record) {
    if (!header) {
      return in.equals("key") ? record.key() : record.value();
    }
    for (Header h : record.headers()) {
      if (h.key().equals(in)) {
        return h.value() == null ? null : ByteBuffer.wrap(h.value());
      }
    }
    return null;
  }

  private boolean jsonEquals(String content) {
    JsonNode node;
    try {
      node = JSON.readTree(content);
    } catch (JsonProcessingException notJson) {
      return false;
    }
    for (Object step : path) {
      if (node == null) {
        return false;
      }
      node = step instanceof String name ? node.get(name) : node.get((Integer) step);
    }
    if (node == null || node.isContainerNode()) {
      return false;
    }
    if (node.isNumber() && expected.isNumber()) {
      return node.decimalValue().compareTo(expected.decimalValue()) == 0;
    }
    return node.equals(expected);
  }

  /** The text, as a regex sees it, with a deadline checked every 4096 reads. */
  static final class DeadlineChars implements CharSequence {
    private final String text;
    private final long deadlineNs;
    private int reads;

    DeadlineChars(String text, long deadlineNs) {
      this.text = text;
      this.deadlineNs = deadlineNs;
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 4095) == 0 && System.nanoTime() - deadlineNs > 0) {
        throw new DeadlineExceeded();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new DeadlineChars(text.substring(start, end), deadlineNs);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
