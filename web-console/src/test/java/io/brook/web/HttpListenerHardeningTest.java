package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP listener itself survives requests no client library sends: no Host header, broken
 * percent-escapes, clients that leave mid-request, slow-loris clients; a clear 4xx, never a 5xx,
 * and no SEVERE line or stack trace in the log.
 */
class HttpListenerHardeningTest {
  static final int IDLE_TIMEOUT_MS = 1000;
  static final int READ_TIMEOUT_MS = 3000;

  @TempDir
  static Path dataDir;
  static BrookNode node;

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir, new JsonObject()
        .put("http.idle.timeout.ms", IDLE_TIMEOUT_MS).put("http.request.read.timeout.ms", READ_TIMEOUT_MS));
    HttpResponse<String> created = node.post("/api/topics", "{\"name\":\"raw\",\"partitions\":1}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static void assertInvalidRequest(String response, String messagePart) {
    assertThat(RawHttp.status(response)).as(response).isEqualTo(400);
    JsonObject body = new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
    assertThat(body.getString("error")).isEqualTo("INVALID_REQUEST");
    assertThat(body.getString("message")).contains(messagePart);
  }

  @Test
  void noHostHeaderIsABadRequest() throws IOException {
    try (LogCapture log = new LogCapture()) {
      assertInvalidRequest(RawHttp.exchange(node.httpPort, "GET /api/topics HTTP/1.1\r\n\r\n"), "Host header");
      assertInvalidRequest(RawHttp.exchange(node.httpPort,
          "POST /api/topics HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"), "Host header");
      // HTTP/1.0 has no Host header to require
      assertThat(RawHttp.status(RawHttp.exchange(node.httpPort, "GET /api/topics HTTP/1.0\r\n\r\n"))).isEqualTo(200);
      assertThat(log.severeOrTraced()).as(LogCapture.describe(log.severeOrTraced())).isEmpty();
    }
  }

  @Test
  void brokenEscapesAreBadRequestsWithoutATrace() throws IOException {
    try (LogCapture log = new LogCapture()) {
      for (String uri : new String[] {"/api/topics/%ZZ", "/api/topics?x=%ZZ", "/api/topics/raw/records?timestamp=%",
          "/%ZZ", "/api/topics/raw%2"}) {
        assertInvalidRequest(RawHttp.exchange(node.httpPort, "GET " + uri + " HTTP/1.1\r\nHost: x\r\n\r\n"),
            "percent-escape");
      }
      assertThat(log.severeOrTraced()).as(LogCapture.describe(log.severeOrTraced())).isEmpty();
    }
  }

  @Test
  void formContentTypesAreReadAsJsonNeverDecoded() throws IOException {
    try (LogCapture log = new LogCapture()) {
      String json = "{\"records\":[{\"value\":\"curl -d\"}]}";
      String produced = RawHttp.exchange(node.httpPort, "POST /api/topics/raw/records HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + json.length()
          + "\r\n\r\n" + json);
      assertThat(RawHttp.status(produced)).as(produced).isEqualTo(200);
      String garbage = "a=%G3&b=%";
      assertThat(RawHttp.status(RawHttp.exchange(node.httpPort, "DELETE /api/topics/raw/records HTTP/1.1\r\n"
          + "Host: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
          + garbage.length() + "\r\n\r\n" + garbage))).isBetween(400, 499);
      assertThat(RawHttp.status(RawHttp.exchange(node.httpPort, "GET /api/topics HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\nContent-Type: multipart/form-data; boundary=x\r\n\r\n"))).isEqualTo(200);
      assertThat(log.severeOrTraced()).as(LogCapture.describe(log.severeOrTraced())).isEmpty();
    }
  }

  @Test
  void aClientLeavingMidRequestIsNotAnError() throws IOException {
    try (LogCapture log = new LogCapture()) {
      for (int i = 0; i < 5; i++) {
        try (Socket socket = new Socket("127.0.0.1", node.httpPort)) {
          socket.getOutputStream().write(("POST /api/topics/raw/records HTTP/1.1\r\nHost: x\r\n"
              + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"records\":").getBytes(StandardCharsets.UTF_8));
          socket.getOutputStream().flush();
        }
      }
      // the node noticed (and served on) once a good request after them is answered
      await().atMost(Duration.ofSeconds(10)).until(() -> node.get("/api/topics").statusCode() == 200);
      assertThat(log.severeOrTraced()).as(LogCapture.describe(log.severeOrTraced())).isEmpty();
    }
  }

  @Test
  void aSlowBodyGets408AndIsClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.httpPort)) {
      socket.setSoTimeout(10_000);
      CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readAll(socket));
      socket.getOutputStream().write(("POST /api/topics/raw/records HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      trickle(socket, "{".repeat(1000), answer); // the headers came at once, the body never will
      String response = answer.get(10, TimeUnit.SECONDS);
      assertThat(RawHttp.status(response)).as(response).isEqualTo(408);
      assertThat(response).contains("http.request.read.timeout.ms");
    }
  }

  @Test
  void slowHeadersAreClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.httpPort)) {
      socket.setSoTimeout(10_000);
      long startNs = System.nanoTime();
      CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readAll(socket));
      trickle(socket, "GET /api/topics HTTP/1.1\r\nHost: x\r\nX-Slow: " + "z".repeat(1000), answer);
      assertThat(answer.get(10, TimeUnit.SECONDS)).as("closed without an answer").isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - startNs)).isGreaterThanOrEqualTo(Duration.ofMillis(READ_TIMEOUT_MS));
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.httpPort)) {
      socket.setSoTimeout(10_000);
      long startNs = System.nanoTime();
      assertThat(readAll(socket)).isEmpty();
      // the idle timeout (1 s) closed it, not the read deadline (3 s)
      assertThat(Duration.ofNanos(System.nanoTime() - startNs)).isLessThan(Duration.ofMillis(READ_TIMEOUT_MS));
    }
  }

  /** Writes {@code text} a byte every 100 ms (so the idle timeout never fires) until {@code answered}. */
  private static void trickle(Socket socket, String text, CompletableFuture<String> answered) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length && !answered.isDone(); i++) {
      try {
        socket.getOutputStream().write(bytes[i]);
        socket.getOutputStream().flush();
      } catch (IOException closed) {
        return;
      }
      await().pollDelay(Duration.ofMillis(100)).until(() -> true);
    }
  }

  private static String readAll(Socket socket) {
    try {
      return RawHttp.readAll(socket.getInputStream());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
