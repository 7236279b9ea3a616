package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Every command form of the brief parses into the options it names; bad forms are usage errors. */
class BrookCliParseTest {
  private static ParseResult parse(String... args) {
    return BrookCli.commandLine().parseArgs(args);
  }

  @SuppressWarnings("unchecked")
  private static <T> T leaf(ParseResult result) {
    ParseResult leaf = result;
    while (leaf.subcommand() != null) {
      leaf = leaf.subcommand();
    }
    return (T) leaf.commandSpec().userObject();
  }

  private static String bootstrap(ParseResult result) {
    return ((BrookCli) result.commandSpec().userObject()).bootstrap;
  }

  @Test
  void topicsCreateWithEveryOption() {
    ParseResult result = parse("--bootstrap", "h:9", "topics", "create", "demo", "--partitions", "3",
        "--replication-factor", "2", "--config", "retention.ms=1000", "--config", "segment.bytes=1048576");
    TopicsCommand.Create create = leaf(result);
    assertThat(bootstrap(result)).isEqualTo("h:9");
    assertThat(create.name).isEqualTo("demo");
    assertThat(create.partitions).isEqualTo(3);
    assertThat(create.replicationFactor).isEqualTo(2);
    assertThat(Arguments.configMap(create.configs)).isEqualTo(Map.of("retention.ms", "1000", "segment.bytes", "1048576"));
    TopicsCommand.Create defaults = leaf(parse("topics", "create", "demo"));
    assertThat(defaults.partitions).as("left out: the broker's num.partitions").isNull();
    assertThat(defaults.replicationFactor).as("left out: the broker's default.replication.factor").isNull();
  }

  @Test
  void bootstrapMayFollowTheSubcommandAndHasADefault() {
    assertThat(bootstrap(parse("topics", "list", "--bootstrap", "h:7"))).isEqualTo("h:7");
    String env = System.getenv("BROOK_BOOTSTRAP");
    assertThat(bootstrap(parse("topics", "list"))).isEqualTo(env != null ? env : "127.0.0.1:8080");
  }

  @Test
  void topicsListDescribeDeleteAlter() {
    assertThat((Object) leaf(parse("topics", "list"))).isInstanceOf(TopicsCommand.ListTopics.class);
    assertThat(((TopicsCommand.Describe) leaf(parse("topics", "describe", "t"))).name).isEqualTo("t");
    assertThat(((TopicsCommand.Delete) leaf(parse("topics", "delete", "t"))).name).isEqualTo("t");
    TopicsCommand.Alter alter = leaf(parse("topics", "alter", "t", "--config", "retention.ms=5",
        "--delete-config", "segment.bytes", "--delete-config", "flush.ms"));
    assertThat(Arguments.configMap(alter.set)).isEqualTo(Map.of("retention.ms", "5"));
    assertThat(alter.delete).containsExactly("segment.bytes", "flush.ms");
  }

  @Test
  void configValuesMaySpanEqualsOrBeEmptyAndTheLastOfAKeyWins() {
    TopicsCommand.Create create = leaf(parse("topics", "create", "t", "--config", "a=b=c", "--config",
        "retention.ms=", "--config", "a=d"));
    assertThat(Arguments.configMap(create.configs)).containsExactly(Map.entry("a", "d"), Map.entry("retention.ms", ""));
  }

  @Test
  void produceOptions() {
    ProduceCommand produce = leaf(parse("produce", "demo", "--key-separator", ":", "--acks", "1", "--partition", "2"));
    assertThat(produce.topic).isEqualTo("demo");
    assertThat(produce.keySeparator).isEqualTo(":");
    assertThat(produce.acks).isEqualTo("1");
    assertThat(produce.partition).isEqualTo(2);
    ProduceCommand defaults = leaf(parse("produce", "demo"));
    assertThat(defaults.acks).isEqualTo("all");
    assertThat(defaults.keySeparator).isNull();
    assertThat(defaults.batchSize).isEqualTo(1000);
    assertThat(defaults.deliveryTimeoutMs).isEqualTo(120_000);
    assertThat(((ProduceCommand) leaf(parse("produce", "demo", "--delivery-timeout-ms", "0"))).deliveryTimeoutMs).isZero();
  }

  @Test
  void consumeOptions() {
    ConsumeCommand consume = leaf(parse("consume", "demo", "--partition", "1", "--offset", "42", "--max-messages",
        "10", "--timeout-ms", "500", "--print-key", "--print-offset", "--key-separator", "="));
    assertThat(consume.partition).isEqualTo(1);
    assertThat(consume.offset).isEqualTo("42");
    assertThat(consume.maxMessages).isEqualTo(10L);
    assertThat(consume.timeoutMs).isEqualTo(500L);
    assertThat(consume.printKey).isTrue();
    assertThat(consume.printOffset).isTrue();
    assertThat(consume.keySeparator).isEqualTo("=");
    ConsumeCommand fromTime = leaf(parse("consume", "demo", "--from-time", "2024-05-01T00:00:00Z"));
    assertThat(fromTime.fromTime).isEqualTo(1_714_521_600_000L);
    ConsumeCommand defaults = leaf(parse("consume", "demo"));
    assertThat(defaults.offset).isEqualTo("latest");
    assertThat(defaults.keySeparator).isEqualTo("\t");
    assertThat(defaults.maxMessages).isNull();
    assertThat(defaults.timeoutMs).isNull();
    assertThat(defaults.format).isEqualTo("text");
    assertThat(defaults.encoding).isEqualTo("utf8");
    ConsumeCommand json = leaf(parse("consume", "demo", "--format", "json", "--encoding", "base64"));
    assertThat(json.format).isEqualTo("json");
    assertThat(json.encoding).isEqualTo("base64");
  }

  @Test
  void fromTimeTakesEpochMsAndTheApisIsoForms() {
    long may1 = 1_714_521_600_000L;
    for (String form : List.of("1714521600000", "2024-05-01T00:00:00Z", "2024-05-01T00:00:00.000Z",
        "2024-05-01T02:00:00+02:00", "2024-05-01T00:00", "2024-05-01", " 2024-05-01 ")) {
      assertThat(((ConsumeCommand) leaf(parse("consume", "t", "--from-time", form))).fromTime).as(form).isEqualTo(may1);
    }
    assertThat(((ConsumeCommand) leaf(parse("consume", "t", "--from-time", "1970-01-01T00:00:00Z"))).fromTime).isZero();
    assertThat(((ConsumeCommand) leaf(parse("consume", "t", "--from-time", "0"))).fromTime).isZero();
    assertThat(((ConsumeCommand) leaf(parse("consume", "t", "--from-time", "+292278994-08-17T07:12:55.807Z"))).fromTime)
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void clusterAndPartitionCommands() {
    assertThat((Object) leaf(parse("cluster", "describe"))).isInstanceOf(ClusterCommand.Describe.class);
    TopicsCommand.Alter alter = leaf(parse("topics", "alter", "orders", "--partitions", "6"));
    assertThat(alter.partitions).isEqualTo(6);
    assertThat(alter.set).isEmpty();

    PartitionsCommand.Reassign reassign = leaf(parse("partitions", "reassign", "orders:2", "--replicas", "2,3,1"));
    assertThat(reassign.partition).isEqualTo(new PartitionsCommand.TopicPartition("orders", 2));
    assertThat(reassign.target.replicas).containsExactly(2, 3, 1);
    assertThat(reassign.target.cancel).isFalse();
    assertThat(reassign.await).isFalse();
    PartitionsCommand.Reassign cancel = leaf(parse("partitions", "reassign", "my.topic-1:0", "--cancel"));
    assertThat(cancel.partition).isEqualTo(new PartitionsCommand.TopicPartition("my.topic-1", 0));
    assertThat(cancel.target.cancel).isTrue();
    assertThat(cancel.target.replicas).isNull();
    PartitionsCommand.Reassign waiting = leaf(parse("partitions", "reassign", "t:0", "--replicas", "1", "--wait",
        "--timeout-ms", "5000"));
    assertThat(waiting.await).isTrue();
    assertThat(waiting.timeoutMs).isEqualTo(5000);

    PartitionsCommand.ElectLeaders all = leaf(parse("partitions", "elect-leaders"));
    assertThat(all.type).isEqualTo(PartitionsCommand.ElectLeaders.Type.preferred);
    assertThat(all.partitions).isEmpty();
    PartitionsCommand.ElectLeaders some = leaf(parse("partitions", "elect-leaders", "--type", "unclean",
        "--partition", "a:0", "--partition", "b:12"));
    assertThat(some.type).isEqualTo(PartitionsCommand.ElectLeaders.Type.unclean);
    assertThat(some.partitions).containsExactly(new PartitionsCommand.TopicPartition("a", 0),
        new PartitionsCommand.TopicPartition("b", 12));
  }

  @Test
  void badClusterAndPartitionFormsAreUsageErrors() {
    assertThatThrownBy(() -> parse("partitions", "reassign", "t:0")).as("neither --replicas nor --cancel")
        .isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("partitions", "reassign", "t:0", "--replicas", "1", "--cancel"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("mutually exclusive");
    assertThatThrownBy(() -> parse("partitions", "reassign", "t", "--cancel"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("TOPIC:PARTITION");
    assertThatThrownBy(() -> parse("partitions", "reassign", "t:x", "--cancel"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("t:x");
    assertThatThrownBy(() -> parse("partitions", "reassign", "t:-1", "--cancel"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("t:-1");
    assertThatThrownBy(() -> parse("partitions", "reassign", "t:0", "--replicas", "1,two"))
        .isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("partitions", "elect-leaders", "--type", "random"))
        .isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("partitions", "elect-leaders", "--partition", ":3"))
        .isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("topics", "alter", "t", "--partitions", "x"))
        .isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("cluster", "bogus")).isInstanceOf(CommandLine.ParameterException.class);
  }

  @Test
  void perfArgumentsPassThroughToThePerfTool() {
    PerfLauncher perf = leaf(parse("perf", "produce", "--topic", "t", "--num-records", "10", "--acks", "1"));
    assertThat(perf.args).containsExactly("produce", "--topic", "t", "--num-records", "10", "--acks", "1");
  }

  @Test
  void badFormsAreUsageErrors() {
    assertThatThrownBy(() -> parse("topics", "create")).isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("topics", "create", "t", "--partitions", "many"))
        .isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("produce")).isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("consume", "t", "--bogus")).isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("nonsense")).isInstanceOf(CommandLine.ParameterException.class);
  }

  @Test
  void tlsAndCredentialOptionsAreGlobalAndMayFollowTheSubcommand() {
    ParseResult result = parse("users", "list", "--bootstrap", "https://h:8443", "--ca-file", "ca.pem", "--user",
        "alice", "--password-file", "pw.txt");
    BrookCli root = (BrookCli) result.commandSpec().userObject();
    assertThat(root.bootstrap).isEqualTo("https://h:8443");
    assertThat(root.caFile).isEqualTo(Path.of("ca.pem"));
    assertThat(root.user).isEqualTo("alice");
    assertThat(root.passwordFile).isEqualTo(Path.of("pw.txt"));
    BrookCli defaults = (BrookCli) parse("acls", "list").commandSpec().userObject();
    assertThat(defaults.caFile).as("$BROOK_CA_FILE is read when the client is made").isNull();
    assertThat(defaults.user).isNull();
  }

  @Test
  void usersAndAclsCommands() {
    UsersCommand.Create create = leaf(parse("users", "create", "bob", "--mechanism", "scram-sha-512",
        "--iterations", "8192", "--new-password-stdin"));
    assertThat(create.name).isEqualTo("bob");
    assertThat(create.newPassword.mechanism).isEqualTo("SCRAM-SHA-512");
    assertThat(create.newPassword.iterations).isEqualTo(8192);
    assertThat(create.newPassword.source.stdin).isTrue();
    UsersCommand.Passwd passwd = leaf(parse("users", "passwd", "bob"));
    assertThat(passwd.newPassword.mechanism).as("left out: the broker's default").isNull();
    assertThat(passwd.newPassword.source).isNull();

    AclsCommand.Add add = leaf(parse("acls", "add", "--principal", "User:alice", "--topic", "orders-", "--prefixed",
        "--operation", "read", "--operation", "describe-configs", "--deny", "--host", "10.0.0.7"));
    assertThat(add.resource.type()).isEqualTo("TOPIC");
    assertThat(add.resource.name()).isEqualTo("orders-");
    assertThat(add.operations).containsExactly(AclsCommand.Operation.READ, AclsCommand.Operation.DESCRIBE_CONFIGS);
    assertThat(add.deny).isTrue();
    assertThat(((AclsCommand.Add) leaf(parse("acls", "add", "--principal", "User:*", "--cluster", "--operation",
        "ALL"))).host).isEqualTo("*");
    AclsCommand.Remove remove = leaf(parse("acls", "remove", "--principal", "User:bob"));
    assertThat(remove.resource).isNull();
    assertThat(remove.operations).isEmpty();
    assertThat(remove.host).as("left out: any host").isNull();
  }

  @Test
  void bootstrapForms() {
    assertThat(BrookHttp.baseUri("localhost:8080").toString()).isEqualTo("http://localhost:8080");
    assertThat(BrookHttp.baseUri("http://10.0.0.1:9000/").toString()).isEqualTo("http://10.0.0.1:9000");
    assertThat(BrookHttp.baseUri("https://broker1.example:8443/").toString()).isEqualTo("https://broker1.example:8443");
    assertThatThrownBy(() -> BrookHttp.baseUri("no-port")).isInstanceOf(CliException.class)
        .hasMessageContaining("HOST:PORT");
  }

  @Test
  void jsonReadsWhatTheApiWrites() {
    Object parsed = Json.parse("{\"a\":[1,-2,3.5,true,null,\"x\\n\\u00e9\\\"\"],\"b\":{}}");
    assertThat(Json.object(parsed).get("a")).isEqualTo(java.util.Arrays.asList(1L, -2L, 3.5, true, null, "x\né\""));
    assertThat(Json.quote(new StringBuilder(), "q\"\\\n\u0001").toString()).isEqualTo("\"q\\\"\\\\\\n\\u0001\"");
    assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse("[1] x")).isInstanceOf(IllegalArgumentException.class);
  }
}
