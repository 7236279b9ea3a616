package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Defaults are the documented ones, JSON config overrides them, and out-of-range values are refused. */
class WebConsoleConfigTest {
  @Test
  void defaults() {
    WebConsoleConfig config = WebConsoleConfig.fromJson(new JsonObject());
    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.httpMaxBodyBytes()).isEqualTo(8L << 20);
    assertThat(config.bridgeHost()).isEqualTo("127.0.0.1");
    assertThat(config.bridgePort()).isEqualTo(7070);
    assertThat(config.bridgeEnabled()).isTrue();
    assertThat(config.nodeId()).isEqualTo(-1);
    assertThat(config.bridgeMaxFrameBytes()).isEqualTo(8 << 20).isEqualTo((int) config.httpMaxBodyBytes());
    assertThat(config.bridgeMaxConnections()).isEqualTo(1000);
    assertThat(config.bridgeMaxInflightRequests()).isEqualTo(1000);
    assertThat(config.bridgeMaxBufferedBytes()).isEqualTo(64L << 20);
    assertThat(config.bridgeIdleTimeoutMs()).isEqualTo(600_000L);
    assertThat(config.bridgeFrameReadTimeoutMs()).isEqualTo(30_000L);
  }

  @Test
  void overridesAndValidation() {
    WebConsoleConfig config = WebConsoleConfig.fromJson(new JsonObject()
        .put("http.port", 9090).put("bridge.port", -1).put("node.id", 3).put("data.dir", "ignored"));
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.bridgeEnabled()).isFalse();
    assertThat(config.nodeId()).isEqualTo(3);
    assertThatThrownBy(() -> WebConsoleConfig.fromJson(new JsonObject().put("http.port", 70000)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
    assertThatThrownBy(() -> WebConsoleConfig.fromJson(new JsonObject().put("bridge.max.frame.bytes", 2 << 20)
        .put("bridge.max.buffered.bytes", 1 << 20))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("bridge.max.buffered.bytes").hasMessageContaining("at least bridge.max.frame.bytes");
  }

  @Test
  void anonymousClientsOnlyWhileEveryListenerIsLoopbackUnlessSaidOtherwise() {
    assertThat(WebConsoleConfig.fromJson(new JsonObject()).allowAnonymous()).isTrue();
    assertThat(WebConsoleConfig.fromJson(new JsonObject().put("http.host", "localhost")).allowAnonymous()).isTrue();
    assertThat(WebConsoleConfig.fromJson(new JsonObject().put("http.host", "0.0.0.0")).allowAnonymous()).isFalse();
    assertThat(WebConsoleConfig.fromJson(new JsonObject().put("bridge.host", "0.0.0.0")).allowAnonymous()).isFalse();
    assertThat(WebConsoleConfig.fromJson(new JsonObject().put("bridge.host", "0.0.0.0").put("bridge.port", -1))
        .allowAnonymous()).isTrue(); // no bridge, nothing exposed
    assertThat(WebConsoleConfig.fromJson(new JsonObject().put("http.host", "0.0.0.0")
        .put("security.allow.anonymous", true)).allowAnonymous()).isTrue();
    assertThat(WebConsoleConfig.fromJson(new JsonObject().put("security.allow.anonymous", "false")).allowAnonymous())
        .isFalse();
  }

  @Test
  void aListenerReachableFromElsewhereWithoutTlsIsWarnedAbout() {
    assertThat(WebConsoleConfig.fromJson(new JsonObject()).plaintextWarnings()).isEmpty();
    assertThat(WebConsoleConfig.fromJson(new JsonObject().put("http.host", "0.0.0.0").put("bridge.host", "0.0.0.0"))
        .plaintextWarnings()).hasSize(2).allMatch(w -> w.contains("in the clear"));
  }
}
