package io.brook.cli;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Answers for the stand-in HTTP APIs (JDK HttpServer) that CLI tests point the CLI at. */
final class StubApi {
  private StubApi() {}

  /** Sends {@code body} as JSON with {@code status} and closes the exchange. */
  static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
