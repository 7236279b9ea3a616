package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.client.AdminConfigs;
import io.brook.client.ConsumerConfigs;
import io.brook.client.ProducerConfigs;
import io.brook.cluster.ClusterConfig;
import io.brook.groups.GroupCoordinatorConfig;
import io.brook.kafka.KafkaListenerConfig;
import io.brook.verticles.groups.OffsetsTopic;
import io.brook.metadata.ControllerConfig;
import io.brook.quorum.QuorumConfig;
import io.brook.replication.ReplicationConfig;
import io.brook.security.AuthenticationConfig;
import io.brook.security.AuthorizerConfig;
import io.brook.storage.LogConfig;
import io.brook.verticles.BrokerConfig;
import io.brook.web.WebConsoleConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIG.md is generated from the config declarations (every module's ConfigDef) and must
 * match them. Regenerate with {@code mvn -pl server test -Dtest=ConfigDocsTest -Dbrook.docs.write=true}.
 */
class ConfigDocsTest {
  /** Surefire runs tests in the module directory. */
  private static final Path CONFIG_MD = Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("CONFIG.md");

  @Test
  void configDocMatchesTheDeclarations() throws IOException {
    String generated = render();
    if (Boolean.getBoolean("brook.docs.write")) {
      Files.writeString(CONFIG_MD, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(CONFIG_MD, StandardCharsets.UTF_8))
        .as("docs/CONFIG.md is stale: regenerate it (see this test's javadoc)")
        .isEqualTo(generated);
  }

  static String render() {
    // the node's config is one flat JSON: a key two modules declare (node.id) is listed once
    Set<String> nodeKeys = new HashSet<>();
    StringBuilder md = new StringBuilder();
    md.append("# Brook configuration\n\n")
        .append("Generated from the config declarations by `ConfigDocsTest` (server module); do not edit by hand.\n\n")
        .append("A node reads one JSON file (`conf/brook.json`, given with `-conf`); every key below can also be set\n")
        .append("with `-Dbrook.<key>=<value>` (what `./run.sh --node-id N --http-port P ...` does). Values may be JSON\n")
        .append("numbers or strings. Kafka's names are used wherever Kafka has the same knob.\n\n")
        .append("## Node\n\n");
    section(md, nodeKeys, "Broker (`io.brook.verticles.BrokerConfig`)", BrokerConfig.CONFIG_DEF,
        "Identity, data directory, log scheduler, request limits, and the broker-wide defaults of topic configs.");
    section(md, nodeKeys, "Controller (`io.brook.metadata.ControllerConfig`)", ControllerConfig.CONFIG_DEF,
        "What the active controller decides with: broker sessions, topic defaults, leader election and balance.");
    section(md, nodeKeys, "Replication (`io.brook.replication.ReplicationConfig`)", ReplicationConfig.CONFIG_DEF,
        "Leaders and followers of replicated partitions; `min.insync.replicas` may also be set per topic.");
    section(md, nodeKeys, "Metadata quorum (`io.brook.quorum.QuorumConfig`)", QuorumConfig.CONFIG_DEF,
        "The Raft quorum that replicates the cluster metadata log and elects its leader, the active controller.");
    section(md, nodeKeys, "Cluster (`io.brook.cluster.ClusterConfig`)", ClusterConfig.CONFIG_DEF,
        "How the node (or a client such as the perf tool) joins the cluster.");
    section(md, nodeKeys, "HTTP API and TCP bridge (`io.brook.web.WebConsoleConfig`)", WebConsoleConfig.CONFIG_DEF,
        "External clients: the REST API used by `bin/brook`, and the TCP event bus bridge.");
    section(md, nodeKeys, "Kafka listener (`io.brook.kafka.KafkaListenerConfig`)", KafkaListenerConfig.CONFIG_DEF,
        "The Kafka wire protocol for stock Kafka clients (in progress: docs/notes/issue-11-progress.md).");
    section(md, nodeKeys, "Authentication (`io.brook.security.AuthenticationConfig`)", AuthenticationConfig.CONFIG_DEF,
        "Tokens and the first user; users themselves live in the metadata log (`bin/brook users`). See docs/SECURITY.md.");
    section(md, nodeKeys, "Authorization (`io.brook.security.AuthorizerConfig`)", AuthorizerConfig.CONFIG_DEF,
        "ACLs with Kafka's model, checked by the broker serving each client request (`bin/brook acls`).");
    section(md, nodeKeys, "Consumer groups (`io.brook.groups.GroupCoordinatorConfig`)", GroupCoordinatorConfig.CONFIG_DEF,
        "The group coordinator: rebalances, sessions, committed offsets and their retention.");
    section(md, nodeKeys, "Offsets topic (`io.brook.verticles.groups.OffsetsTopic`)", OffsetsTopic.CONFIG_DEF,
        "`__consumer_offsets`, where groups and their committed offsets are kept; created on the first group request.");
    md.append("## Topics\n\n");
    section(md, new HashSet<>(), "Topic configs (`io.brook.storage.LogConfig`)", LogConfig.CONFIG_DEF,
        "Set per topic at creation (`--config K=V`) or later (`topics alter`); a topic without an override takes "
            + "the broker default (`log.*` keys above).");
    md.append("## Java client\n\n");
    section(md, new HashSet<>(), "Producer (`io.brook.client.ProducerConfigs`)", ProducerConfigs.CONFIG_DEF, "`BrookClients.producer(vertx, config)`.");
    section(md, new HashSet<>(), "Consumer (`io.brook.client.ConsumerConfigs`)", ConsumerConfigs.CONFIG_DEF, "`BrookClients.consumer(vertx, config)`.");
    section(md, new HashSet<>(), "Admin (`io.brook.client.AdminConfigs`)", AdminConfigs.CONFIG_DEF, "`BrookClients.admin(vertx, config)`.");
    return md.toString();
  }

  private static void section(StringBuilder md, Set<String> listed, String title, ConfigDef def, String intro) {
    md.append("### ").append(title).append("\n\n").append(intro).append("\n\n")
        .append("| key | type | default | valid values | meaning |\n|---|---|---|---|---|\n");
    for (String name : def.names()) {
      if (!listed.add(name)) {
        continue;
      }
      ConfigDef.ConfigKey key = def.configKeys().get(name);
      md.append("| `").append(name).append("` | ").append(key.type.name().toLowerCase())
          .append(" | ").append(cell(defaultOf(key)))
          .append(" | ").append(cell(key.validator == null ? "" : key.validator.toString()))
          .append(" | ").append(cell(key.documentation)).append(" |\n");
    }
    md.append('\n');
  }

  private static String defaultOf(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "(required)";
    }
    if (key.defaultValue == null) {
      return "null";
    }
    return "`" + ConfigDef.convertToString(key.defaultValue, key.type) + "`";
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
  }
}
