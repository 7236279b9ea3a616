package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A config change the broker refuses ({@code --delete-config} of a key it does not know, answered INVALID_CONFIG)
 * ends {@code brook topics alter} with exit code 1 and the broker's error on one line of stderr, and nothing on
 * stdout that reads like success. Against a stand-in HTTP API, so the CLI's side holds whatever the broker refuses.
 */
class AlterRefusedTest {
  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/topics/t/configs", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      // a message over two lines, as a broker's error may be
      StubApi.answer(exchange, 400, "{\"error\":\"INVALID_CONFIG\",\"code\":40,"
          + "\"message\":\"Unknown topic config 'no.such.key'\\n(see docs/CONFIG.md)\"}");
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aRefusedDeleteConfigExitsOneWithTheBrokersErrorOnOneLine() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = BrookCli.commandLine();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute("--bootstrap", "127.0.0.1:" + server.getAddress().getPort(), "topics", "alter", "t",
        "--delete-config", "no.such.key");

    assertThat(bodies).containsExactly("{\"set\":{},\"delete\":[\"no.such.key\"]}");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("Error: INVALID_CONFIG: Unknown topic config 'no.such.key' (see docs/CONFIG.md)\n");
    assertThat(out.toString()).isEmpty();
  }
}
