package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The logging defaults bundled in the jar are conf/logging.properties; refusals read as one plain line. */
class NodeLoggingTest {
  @Test
  void theBundledDefaultsAreConfLoggingProperties() throws IOException {
    Path conf = Path.of("").toAbsolutePath().getParent().resolve("conf").resolve("logging.properties");
    try (InputStream bundled = NodeLogging.class.getResourceAsStream(NodeLogging.DEFAULTS)) {
      assertThat(bundled).as(NodeLogging.DEFAULTS).isNotNull();
      assertThat(new String(bundled.readAllBytes(), StandardCharsets.UTF_8))
          .as("copy conf/logging.properties to server/src/main/resources%s", NodeLogging.DEFAULTS)
          .isEqualTo(Files.readString(conf, StandardCharsets.UTF_8));
    }
  }

  @Test
  void aRefusalIsItsMessageWithoutExceptionClassNames() {
    assertThat(StartFailure.reason(new ConfigException("x", "y", "Not a number"), "starting"))
        .isEqualTo("Invalid value y for configuration x: Not a number");
    assertThat(StartFailure.reason(new IllegalStateException("Another broker with node.id 1"), "starting"))
        .isEqualTo("Another broker with node.id 1");
    assertThat(StartFailure.reason(null, "joining the cluster")).startsWith("timed out joining the cluster");
  }

  @Test
  void aPortConflictNobodyNamedIsNamed() {
    RuntimeException wrapped = new RuntimeException("failed", new BindException("Address already in use"));
    assertThat(StartFailure.reason(wrapped, "joining the cluster"))
        .contains("a port it needs is in use (Address already in use)").contains("eventbus.port").contains("cluster.port");
  }
}
