package io.brook.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the CLI. Jackson databind costs ~0.4 s of class loading per
 * run, which would be a third of {@code brook topics list}; the API's JSON is simple enough for
 * this. Objects read as {@code LinkedHashMap<String, Object>}, arrays as {@code List<Object>},
 * integers as {@code Long}, other numbers as {@code Double}. Stateless; any thread.
 */
public final class Json {
  private final String text;
  private int at;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value; {@link IllegalArgumentException} if {@code text} is not JSON. */
  public static Object parse(String text) {
    Json json = new Json(text);
    Object value = json.value();
    json.skipSpace();
    if (json.at != text.length()) {
      throw json.error("trailing characters");
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : Map.of();
  }

  @SuppressWarnings("unchecked")
  public static List<Object> array(Object value) {
    return value instanceof List ? (List<Object>) value : List.of();
  }

  /** A field as text; "null" for JSON null or a missing field (what Kafka's tools print). */
  public static String text(Map<String, Object> object, String key) {
    Object value = object.get(key);
    return value == null ? "null" : value.toString();
  }

  public static long number(Map<String, Object> object, String key) {
    Object value = object.get(key);
    return value instanceof Number n ? n.longValue() : -1L;
  }

  /**
   * {@code value} as JSON: a {@code Map} with string keys is an object (in its order), a {@code List} an array, a
   * {@code CharSequence} a string, a {@code Number} or {@code Boolean} itself, null null.
   */
  public static String write(Object value) {
    return write(new StringBuilder(), value).toString();
  }

  private static StringBuilder write(StringBuilder out, Object value) {
    if (value == null || value instanceof Number || value instanceof Boolean) {
      return out.append(value);
    }
    if (value instanceof CharSequence text) {
      return quote(out, text.toString());
    }
    if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        quote(out.append(first ? "" : ","), (String) entry.getKey()).append(':');
        write(out, entry.getValue());
        first = false;
      }
      return out.append('}');
    }
    if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        write(out.append(i == 0 ? "" : ","), list.get(i));
      }
      return out.append(']');
    }
    throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
  }

  /** Appends {@code value} as a JSON string literal. */
  public static StringBuilder quote(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  private Object value() {
    skipSpace();
    if (at >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(at);
    switch (c) {
      case '{':
        return objectValue();
      case '[':
        return arrayValue();
      case '"':
        return stringValue();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return numberValue();
    }
  }

  private Map<String, Object> objectValue() {
    Map<String, Object> map = new LinkedHashMap<>();
    at++; // {
    skipSpace();
    if (peek() == '}') {
      at++;
      return map;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a field name");
      }
      String key = stringValue();
      skipSpace();
      expect(':');
      map.put(key, value());
      skipSpace();
      if (peek() == ',') {
        at++;
      } else {
        expect('}');
        return map;
      }
    }
  }

  private List<Object> arrayValue() {
    List<Object> list = new ArrayList<>();
    at++; // [
    skipSpace();
    if (peek() == ']') {
      at++;
      return list;
    }
    while (true) {
      list.add(value());
      skipSpace();
      if (peek() == ',') {
        at++;
      } else {
        expect(']');
        return list;
      }
    }
  }

  private String stringValue() {
    at++; // opening quote
    StringBuilder out = null;
    int start = at;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '"') {
        String tail = text.substring(start, at++);
        return out == null ? tail : out.append(tail).toString();
      }
      if (c == '\\') {
        out = out == null ? new StringBuilder() : out;
        out.append(text, start, at);
        out.append(escape());
        start = at;
      } else {
        at++;
      }
    }
    throw error("unterminated string");
  }

  private char escape() {
    at++; // backslash
    char c = text.charAt(at++);
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'u':
        at += 4;
        return (char) Integer.parseInt(text.substring(at - 4, at), 16);
      default:
        return c; // " \ /
    }
  }

  private Object numberValue() {
    int start = at;
    boolean integral = true;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      integral &= Character.isDigit(text.charAt(at)) || text.charAt(at) == '-';
      at++;
    }
    if (start == at) {
      throw error("unexpected character '" + text.charAt(at) + "'");
    }
    String number = text.substring(start, at);
    try {
      return integral ? (Object) Long.parseLong(number) : (Object) Double.parseDouble(number);
    } catch (NumberFormatException e) {
      try {
        return Double.parseDouble(number); // an integer beyond long
      } catch (NumberFormatException notANumber) {
        throw error("bad number '" + number + "'");
      }
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("unexpected token");
    }
    at += word.length();
    return value;
  }

  private void skipSpace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private char peek() {
    if (at >= text.length()) {
      throw error("unexpected end");
    }
    return text.charAt(at);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private IllegalArgumentException error(String why) {
    return new IllegalArgumentException("malformed JSON at " + at + ": " + why);
  }
}
