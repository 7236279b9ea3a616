package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on the API and TLS on the bridge: a client trusting the node's CA is served, a plaintext
 * client gets nothing, and a node whose certificate expired refuses to start with one clear line.
 */
class ListenerTlsTest {
  @TempDir
  static Path certs;
  @TempDir
  Path dataDir;

  @BeforeAll
  static void makeCertificates() throws Exception {
    run("../bin/brook-certs", certs.toString(), "node");
    run("../bin/brook-certs", "--days", "-1", certs.toString(), "expired");
  }

  @Test
  void tlsClientsAreServedAndPlaintextClientsAreNot() throws Exception {
    try (BrookNode node = new BrookNode(dataDir, tls("node"))) {
      Vertx client = Vertx.vertx();
      try {
        PemTrustOptions trustCa = new PemTrustOptions().addCertPath(certs.resolve("ca.pem").toString());
        var https = client.createHttpClient(new HttpClientOptions().setSsl(true).setTrustOptions(trustCa)
            .setVerifyHost(true));
        // each step says which it was if it fails (a closed connection's exception has no stack trace)
        String body = step("HTTPS GET /api/topics on port " + node.httpPort, () -> https.request(HttpMethod.GET,
            node.httpPort, "localhost", "/api/topics").compose(request -> request.send().compose(response -> {
              assertThat(response.statusCode()).isEqualTo(200);
              return response.body();
            })).await().toString());
        assertThat(new JsonObject(body).getJsonArray("topics")).isNotNull();
        assertThatThrownBy(() -> node.get("/api/topics")).as("plain HTTP to the HTTPS port")
            .isInstanceOf(IllegalStateException.class);

        NetSocket bridge = step("TLS connection to the bridge on port " + node.bridgePort, () -> client.createNetClient(
            new NetClientOptions().setSsl(true).setTrustOptions(trustCa).setHostnameVerificationAlgorithm("HTTPS"))
            .connect(node.bridgePort, "localhost").await());
        CompletableFuture<JsonObject> pong = new CompletableFuture<>();
        bridge.handler(bytes -> pong.complete(new JsonObject(bytes.getBuffer(4, bytes.length()))));
        byte[] ping = new JsonObject().put("type", "ping").encode().getBytes(StandardCharsets.UTF_8);
        step("a ping on the bridge's TLS connection", () -> bridge.write(Buffer.buffer().appendInt(ping.length)
            .appendBytes(ping)).await());
        assertThat(pong.get(10, TimeUnit.SECONDS).getString("type")).isEqualTo("pong");
      } finally {
        client.close().await();
      }
      try (Socket plain = new Socket("127.0.0.1", node.bridgePort)) {
        plain.setSoTimeout(10_000);
        byte[] ping = new JsonObject().put("type", "ping").encode().getBytes(StandardCharsets.UTF_8);
        plain.getOutputStream().write(Buffer.buffer().appendInt(ping.length).appendBytes(ping).getBytes());
        byte[] answer = plain.getInputStream().readAllBytes(); // the listener closes the connection
        assertThat(new String(answer, StandardCharsets.ISO_8859_1)).as("no pong for a plaintext frame")
            .doesNotContain("pong");
      }
    }
  }

  @Test
  void anExpiredOrMissingCertificateStopsTheNodeWithAClearError() {
    assertThatThrownBy(() -> WebConsoleConfig.fromJson(tls("expired")).httpTls())
        .isInstanceOf(ConfigException.class).hasMessageContaining("is valid only from");
    assertThatThrownBy(() -> WebConsoleConfig.fromJson(tls("expired").put("http.tls", false)).bridgeTls())
        .isInstanceOf(ConfigException.class).hasMessageContaining("is valid only from");
    assertThatThrownBy(() -> WebConsoleConfig.fromJson(new JsonObject().put("http.tls", true)).httpTls())
        .isInstanceOf(ConfigException.class).hasMessageContaining("ssl.key.location");
    assertThatThrownBy(() -> WebConsoleConfig.fromJson(tls("node").put("http.ssl.key.location", "/no/such.key")).httpTls())
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read the private key");
  }

  private static <T> T step(String what, java.util.concurrent.Callable<T> action) throws Exception {
    try {
      return action.call();
    } catch (RuntimeException e) {
      throw new AssertionError(what + " failed: " + e, e);
    }
  }

  private static JsonObject tls(String name) {
    String key = certs.resolve(name + ".key").toString();
    String certificate = certs.resolve(name + ".pem").toString();
    return new JsonObject().put("http.tls", true).put("http.ssl.key.location", key)
        .put("http.ssl.certificate.location", certificate)
        .put("bridge.tls", true).put("bridge.ssl.key.location", key).put("bridge.ssl.certificate.location", certificate);
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
