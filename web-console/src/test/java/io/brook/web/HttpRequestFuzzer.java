package io.brook.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of hostile HTTP/1.1 requests against the API: mutated methods, paths, query
 * parameters, headers and JSON bodies, written by hand (no client library would send most of them).
 * Same seed, same requests. Steers clear of what would only test the broker's capacity (huge
 * partition counts) or take the node apart on purpose (decommissioning broker 1).
 */
final class HttpRequestFuzzer {
  static final String TOPIC = "fz";
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD",
      "OPTIONS", "G\u00c9T", "TRACE"};
  private static final String[] PATHS = {"/api/topics", "/api/topics/fz", "/api/topics/fz/records",
      "/api/topics/fz/records", "/api/topics/fz/partitions/0/offsets", "/api/topics/fz/partitions/1/offsets",
      "/api/topics/fz/configs", "/api/topics/fz/partitions", "/api/node", "/api/cluster", "/api/cluster/brokers",
      "/api/topics/fz/partitions/0/reassign", "/", "/index.html", "/topics/fz", "/api/topics/fz/tail",
      "/api/watch/cluster", "/api/watch/topics/fz", "/api/watch/groups/g1", "/api/console/login",
      "/api/console/session", "/api/console/logout"};
  private static final String[] PARAMS = {"offset", "timestamp", "at", "limit", "maxWaitMs", "partition", "encoding",
      "name", "filter", "filterIn", "filterMode", "scanLimit", "partitions", "maxRecordsPerSec"};
  private static final List<String> HOSTILE = List.of("", "-1", "0", "1", "99999999999999999999", "-9223372036854775808",
      "9223372036854775807", "+300000000-01-01T00:00:00Z", "-300000000-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
      "2024-05-01", "2024-13-45T99:99:99Z", "%ZZ", "%", "%2", "%00", "%C3%28", "%FF%FE", "earliest", "latest",
      "0:1,0:2", "0:1:2", "NaN", "1e9", "0x10", " 5 ", "base64", "utf8", "latin1", "..", ".", "\u00e9", "%E2%82%AC",
      "regex", "jsonpath", "substring", "header:h", "header:", "key", "value", "(a%2B)%2B%24", "%24.a%5B0%5D%3D1", "%24.",
      "%24..a=1", "%24.a%5B-1%5D=1", "0,1", "0,0", "0,", "(", "%5B", "100001", "2001");

  /** One request: the bytes to write. */
  record Case(String summary, byte[] bytes) {}

  private final Random random;
  private final int maxBodyBytes;

  HttpRequestFuzzer(long seed, int maxBodyBytes) {
    this.random = new Random(seed);
    this.maxBodyBytes = maxBodyBytes;
  }

  Case next() {
    String method = pick(METHODS);
    String path = path();
    String query = query();
    byte[] body = method.equals("GET") && random.nextInt(4) != 0 ? new byte[0] : body(path);
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(query).append(" HTTP/1.1\r\n");
    if (random.nextInt(50) != 0) {
      head.append("Host: 127.0.0.1\r\n");
    }
    head.append("Connection: close\r\n");
    if (random.nextInt(3) != 0) {
      head.append("Content-Type: ").append(pick(new String[] {"application/json", "text/plain", "application/json;"
          + " charset=latin1", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*"}))
          .append("\r\n");
    }
    if (random.nextInt(5) == 0) {
      head.append(pick(new String[] {"Accept-Encoding: gzip, deflate", "Expect: 100-continue", "X-Forwarded-For: ::1",
          "Upgrade: h2c", "Cookie: a=b", "Accept: text/html", "Range: bytes=0-1", "If-None-Match: *",
          "Cookie: brook_console_1=forged", "Cookie: brook_console_1=", "X-Brook-CSRF: x", "Accept: text/event-stream"}))
          .append("\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, bytes, 0, headBytes.length);
    System.arraycopy(body, 0, bytes, headBytes.length, body.length);
    String summary = method + " " + path + query + " body " + body.length + " bytes: "
        + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return new Case(summary, bytes);
  }

  private String path() {
    String path = pick(PATHS);
    switch (random.nextInt(6)) {
      case 0: // a segment replaced
        String[] segments = path.split("/", -1);
        int at = 1 + random.nextInt(Math.max(1, segments.length - 1));
        if (at < segments.length) {
          segments[at] = random.nextBoolean() ? pick(HOSTILE) : encode(randomString());
        }
        return String.join("/", segments);
      case 1:
        return path + pick(new String[] {"/", "//", "/..", "/%2e%2e", "/x", "%", "%ZZ", ";a=b", "/%00"});
      case 2:
        return path.replace("fz", pick(new String[] {"missing", "a%24b", "%2F", "x".repeat(300), "__cluster_metadata",
            "..", "a b"}));
      default:
        return path;
    }
  }

  private String query() {
    if (random.nextInt(3) == 0) {
      return "";
    }
    StringBuilder query = new StringBuilder("?");
    int params = 1 + random.nextInt(3);
    for (int i = 0; i < params; i++) {
      String name = pick(PARAMS);
      String value = pick(HOSTILE);
      if (name.equals("maxWaitMs") && value.matches("\\d+") && value.length() < 10) {
        value = "50"; // a long poll only slows the fuzz down
      }
      if (random.nextInt(4) == 0) {
        value = encode(randomString());
      }
      query.append(i == 0 ? "" : "&").append(name).append('=').append(value);
    }
    return query.toString();
  }

  private byte[] body(String path) {
    JsonObject body;
    if (path.endsWith("/records")) {
      JsonArray records = new JsonArray();
      for (int i = 0, n = random.nextInt(4); i <= n; i++) {
        records.add(new JsonObject().put("key", "k" + i).put("value", "v" + i).put("partition", random.nextInt(3))
            .put("timestamp", pick(new Object[] {1714521600000L, "2024-05-01T00:00:00Z", "+300000000-01-01T00:00:00Z",
                "1900-01-01", -5, null}))
            .put("headers", new JsonObject().put("h", "x")));
      }
      body = new JsonObject().put("records", records).put("acks", pick(new Object[] {1, -1, 0, "all", 2}))
          .put("encoding", pick(new Object[] {"utf8", "base64", 5}));
    } else if (path.endsWith("/login")) {
      body = new JsonObject().put("user", pick(new Object[] {"admin", "", "x".repeat(300), 5, null}))
          .put("password", pick(new Object[] {"pw", "", "x".repeat(2000), false, null}));
    } else if (path.endsWith("/configs")) {
      body = new JsonObject().put("set", new JsonObject().put("retention.ms", pick(new Object[] {"1000", -2, "x", true})))
          .put("delete", new JsonArray().add("no.such.key"));
    } else if (path.endsWith("/partitions")) {
      body = new JsonObject().put("count", pick(new Object[] {0, 1, 2, 3, -1, "3", null}));
    } else {
      body = new JsonObject().put("name", pick(new Object[] {"fz2", "", "a b", null, 5, "__cluster_metadata"}))
          .put("partitions", pick(new Object[] {1, 2, 0, -1, "two", 1.5})).put("replicationFactor", pick(new Object[] {
              1, 0, -1, 3, 32768}));
    }
    mutateFields(body);
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    switch (random.nextInt(8)) {
      case 0:
        return cut(bytes);
      case 1:
        return flip(bytes);
      case 2:
        byte[] noise = new byte[random.nextInt(200)];
        random.nextBytes(noise);
        return noise;
      case 3:
        return random.nextInt(10) == 0 ? ("{\"records\":[{\"value\":\"" + "x".repeat(maxBodyBytes) + "\"}]}")
            .getBytes(StandardCharsets.UTF_8) : bytes; // over http.max.body.bytes
      default:
        return bytes;
    }
  }

  private void mutateFields(JsonObject body) {
    if (random.nextInt(3) != 0) {
      return;
    }
    String field = pick(body.fieldNames().toArray(new String[0]));
    body.put(field, pick(new Object[] {null, "", 5, -1, Long.MAX_VALUE, 1e308, true, new JsonArray().add(1),
        new JsonObject().put("x", new JsonArray()), randomString()}));
  }

  private byte[] cut(byte[] bytes) {
    return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
  }

  private byte[] flip(byte[] bytes) {
    for (int i = 0, n = 1 + random.nextInt(4); i < n && bytes.length > 0; i++) {
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  private String randomString() {
    StringBuilder text = new StringBuilder();
    for (int i = 0, n = random.nextInt(16); i < n; i++) {
      text.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
    }
    return text.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private <T> T pick(T[] options) {
    return options[random.nextInt(options.length)];
  }

  private String pick(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
