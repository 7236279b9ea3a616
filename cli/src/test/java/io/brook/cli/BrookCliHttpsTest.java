package io.brook.cli;

import static io.brook.cli.BrookCliUsageErrorTest.assertUsageError;
import static io.brook.cli.RecordingApi.assertFailure;
import static io.brook.cli.RecordingApi.basic;
import static io.brook.cli.RecordingApi.brookCerts;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cli.BrookCliEndToEndTest.Result;
import io.brook.cli.RecordingApi.Request;
import io.brook.cli.RecordingApi.TypedPrompt;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --bootstrap https://...}: against an HTTPS stand-in with a certificate from {@code bin/brook-certs}, the
 * CLI trusting the CA of {@code --ca-file} (or $BROOK_CA_FILE) is served, credentials and all; another CA, the JDK's
 * trust store, a certificate for another host or an expired one, and a scheme that does not match the port each
 * fail with one line that says what to fix, before any request reaches the node.
 */
class BrookCliHttpsTest {
  static final Map<String, String> ALICE = Map.of("BROOK_USER", "alice", "BROOK_PASSWORD", "pw");

  @TempDir
  static Path certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    brookCerts(certs.resolve("ca").toString(), "node");
    brookCerts("--san", "DNS:elsewhere.example", certs.resolve("ca").toString(), "elsewhere");
    brookCerts("--days", "-1", certs.resolve("ca").toString(), "expired");
    brookCerts(certs.resolve("other-ca").toString(), "stranger");
  }

  static String ca() {
    return certs.resolve("ca/ca.pem").toString();
  }

  @Test
  void aCaFileThatSignedTheNodesCertificateIsTrustedByIpAndByName() throws Exception {
    try (RecordingApi api = RecordingApi.https(certs.resolve("ca"), "node")) {
      api.on("GET", "/api/topics", 200, "{\"topics\":[{\"name\":\"orders\"}]}");
      Result result = api.brook(ALICE, TypedPrompt.none(), "", "--ca-file", ca(), "topics", "list");
      assertThat(result.exit()).as(result.err()).isZero();
      assertThat(result.out()).isEqualTo("orders\n");
      assertThat(api.requests).containsExactly(new Request("GET", "/api/topics", "", basic("alice", "pw")));

      Map<String, String> env = Map.of("BROOK_USER", "alice", "BROOK_PASSWORD", "pw", "BROOK_CA_FILE", ca());
      Result byName = RecordingApi.run(env, TypedPrompt.none(), "", "--bootstrap", "https://localhost:" + api.port(),
          "topics", "list");
      assertThat(byName.exit()).as(byName.err()).isZero();
      assertThat(api.requests).hasSize(2);
    }
  }

  @Test
  void aCaFileOfAnotherCaFailsWithOneLineAndNoRequest() throws Exception {
    try (RecordingApi api = RecordingApi.https(certs.resolve("ca"), "node")) {
      String otherCa = certs.resolve("other-ca/ca.pem").toString();
      assertFailure(api.brook(ALICE, TypedPrompt.none(), "", "--ca-file", otherCa, "topics", "list"),
          "the certificate of the node at " + api.bootstrap() + " is not signed by a CA in --ca-file " + otherCa);
      assertFailure(api.brook(ALICE, TypedPrompt.none(), "", "topics", "list"),
          "the certificate of the node at " + api.bootstrap() + " is not signed by a CA in the JDK's default trust "
              + "store; give the CA that signed it with --ca-file PEM or $BROOK_CA_FILE");
      assertThat(api.requests).isEmpty();
    }
  }

  @Test
  void aCertificateForAnotherHostOrExpiredFailsWithOneLine() throws Exception {
    try (RecordingApi api = RecordingApi.https(certs.resolve("ca"), "elsewhere")) {
      Result result = api.brook(ALICE, TypedPrompt.none(), "", "--ca-file", ca(), "topics", "list");
      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("Error: the certificate of the node at " + api.bootstrap() + " is not issued for 127.0.0.1 (");
      assertThat(api.requests).isEmpty();
    }
    try (RecordingApi api = RecordingApi.https(certs.resolve("ca"), "expired")) {
      Result result = api.brook(ALICE, TypedPrompt.none(), "", "--ca-file", ca(), "topics", "list");
      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("Error: the certificate of the node at " + api.bootstrap() + " has expired: ");
    }
  }

  @Test
  void aSchemeThatDoesNotMatchThePortSaysWhichToUse() throws Exception {
    // a plain HTTP server answers a TLS hello with 400, as the node's (Vert.x) does; the JDK's HttpServer would wait
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> answerOneConnectionWith400(plain));
      server.start();
      String https = "https://127.0.0.1:" + plain.getLocalPort();
      assertFailure(RecordingApi.run(ALICE, TypedPrompt.none(), "", "--bootstrap", https, "--ca-file", ca(), "topics",
          "list"), "the node at " + https + " does not speak TLS; if it serves plain HTTP, use --bootstrap "
          + "http://127.0.0.1:" + plain.getLocalPort());
      server.join(10_000);
    }
    try (RecordingApi tls = RecordingApi.https(certs.resolve("ca"), "node")) {
      String http = "http://127.0.0.1:" + tls.port();
      Result result = RecordingApi.run(Map.of(), TypedPrompt.none(), "", "--bootstrap", http, "topics", "list");
      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.errLines()).singleElement().asString().startsWith("Error: cannot reach a Brook node at " + http)
          .endsWith("; if it serves HTTPS, use --bootstrap https://127.0.0.1:" + tls.port());
    }
  }

  /**
   * Reads the whole TLS ClientHello record before answering and closing, as Netty does: closing with unread bytes
   * would reset the connection, and the JDK's HttpClient then sometimes waits out its connect timeout instead.
   */
  private static void answerOneConnectionWith400(ServerSocket server) {
    try (Socket socket = server.accept()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] header = new byte[5];
      in.readFully(header);
      in.readFully(new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)]);
      socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput();
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aCaFileThatCannotBeReadOrHoldsNoCertificateIsAUsageError() {
    String https = "https://127.0.0.1:1";
    assertUsageError(BrookCliUsageErrorTest.brookAt(https, "--ca-file", "/no/such.pem", "topics", "list"),
        "brook topics list", "cannot read --ca-file /no/such.pem: no such file");
    String key = certs.resolve("ca/node.key").toString();
    assertUsageError(BrookCliUsageErrorTest.brookAt(https, "--ca-file", key, "topics", "list"),
        "brook topics list", "--ca-file " + key);
    // on http:// the CA file is not read: a BROOK_CA_FILE set for another cluster does not get in the way
    Result plain = BrookCliUsageErrorTest.brookAt("127.0.0.1:1", "--ca-file", "/no/such.pem", "topics", "list");
    assertThat(plain.exit()).isEqualTo(1);
    assertThat(plain.err()).contains("cannot reach a Brook node at http://127.0.0.1:1 (connection refused)");
  }
}
