package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cli.BrookCliEndToEndTest.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Bad arguments are refused by the CLI itself, before any request: exit code 2, one line saying what is wrong
 * (and at most one line of suggestions), then where the help is; never pages of usage, never a request that
 * takes a default in their place. The bootstrap is a closed port, so a bad argument that slipped through to the
 * node would fail with exit 1 ("cannot reach"), not 2.
 */
class BrookCliUsageErrorTest {
  static final String NOWHERE = "127.0.0.1:1";

  static Result brook(String... args) {
    return brookAt(NOWHERE, args);
  }

  /** Run with an empty environment and no console, whatever the developer's $BROOK_USER and terminal. */
  static Result brookAt(String bootstrap, String... args) {
    List<String> full = new ArrayList<>(List.of("--bootstrap", bootstrap));
    full.addAll(List.of(args));
    return RecordingApi.run(Map.of(), RecordingApi.TypedPrompt.none(), "", full.toArray(new String[0]));
  }

  /** Exit 2, the error on the first line of stderr (mentioning {@code expected}), "Try ... --help" on the last. */
  static void assertUsageError(Result result, String command, String expected) {
    assertThat(result.exit()).as("exit code; stderr: %s", result.err()).isEqualTo(2);
    List<String> lines = result.errLines();
    assertThat(lines).as("stderr").hasSizeBetween(2, 3);
    assertThat(lines.get(0)).startsWith("Error: ").contains(expected);
    assertThat(lines.get(lines.size() - 1)).isEqualTo("Try '" + command + " --help' for more information.");
    assertThat(result.out()).as("stdout").isEmpty();
  }

  /** Every command of the tree, by qualified name, with its command line. */
  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().forEach(sub -> collect(sub, into));
  }

  @Test
  void everyCommandAnswersABadArgumentWithOneLineAndWhereTheHelpIs() {
    List<CommandLine> commands = new ArrayList<>();
    collect(BrookCli.commandLine(), commands);
    assertThat(commands).hasSizeGreaterThanOrEqualTo(16);
    for (CommandLine command : commands) {
      String name = command.getCommandSpec().qualifiedName();
      List<String> args = new ArrayList<>(List.of(name.split(" ")).subList(1, name.split(" ").length));
      args.add("--no-such-option");
      // the error is the unknown option, or a missing parameter that picocli reports first
      assertUsageError(brook(args.toArray(new String[0])), name, "");
    }
  }

  @Test
  void missingArgumentsAndUnknownCommandsAreOneLine() {
    assertUsageError(brook(), "brook", "Missing command");
    assertUsageError(brook("topics"), "brook topics", "Missing command");
    assertUsageError(brook("topics", "create"), "brook topics create", "NAME");
    assertUsageError(brook("topics", "create", "t", "extra"), "brook topics create", "'extra'");
    assertUsageError(brook("topics", "create", "t", "--partitions"), "brook topics create", "--partitions");
    assertUsageError(brook("consume", "t", "--offset", "abc"), "brook consume", "--offset");
    assertUsageError(brook("produce", "t", "--acks", "2"), "brook produce", "--acks");
    assertUsageError(brook("cluster", "remove-broker", "x"), "brook cluster remove-broker", "'x'");
    assertUsageError(brook("partitions", "reassign", "t:0"), "brook partitions reassign", "--replicas");
    assertUsageError(brook("partitions", "elect-leaders", "--type", "foo"), "brook partitions elect-leaders", "foo");
    Result typo = brook("consum", "t");
    assertUsageError(typo, "brook", "'consum'");
    assertThat(typo.errLines().get(1)).contains("brook consume");
  }

  @Test
  void perfArgumentErrorsAreOneLineToo() {
    assertUsageError(brook("perf", "--no-such-option"), "brook perf", "--no-such-option");
    assertUsageError(brook("perf", "produce", "--no-such-option"), "brook perf produce", "--topic");
  }

  @Test
  void theHelpNamesEveryPerfToolAndPerfsUsageSaysBrookPerf() {
    // proves: `brook --help` lists every perf tool (failover and metadata too), and perf's own help and usage lines
    // name the command as the user types it
    Result help = brook("--help");
    assertThat(help.exit()).isZero();
    String perfTools = String.join("|", new CommandLine(new io.brook.bench.PerfCommand()).getSubcommands().keySet());
    assertThat(PerfLauncher.TOOLS).isEqualTo(perfTools);
    assertThat(help.out().replaceAll("\\s+", " ")).contains("perf " + perfTools);
    CommandLine perf = new CommandLine(new io.brook.bench.PerfCommand());
    assertThat(perf.getUsageMessage()).startsWith("Usage: brook perf ");
    assertThat(perf.getSubcommands().get("failover").getUsageMessage()).startsWith("Usage: brook perf failover ");
  }

  @Test
  void aBadConfigOptionNamesTheOptionOnce() {
    // proves: the message about --config says "option '--config'" once (a Map option made picocli say "option option")
    for (String[] args : List.of(new String[] {"topics", "create", "t", "--config", "foo"},
        new String[] {"topics", "alter", "t", "--config", "cleanup.policy"})) {
      Result bad = brook(args);
      assertUsageError(bad, "brook topics " + args[1], "Invalid value for option '--config' (K=V): expected KEY=VALUE");
      assertThat(bad.err()).doesNotContain("option option");
    }
  }

  @Test
  void partitionCountsAndReplicationFactorsBelowOneAreRefusedNotTakenAsTheDefault() {
    for (String bad : List.of("-1", "0", "-2147483648")) {
      assertUsageError(brook("topics", "create", "t", "--partitions", bad), "brook topics create",
          "--partitions': must be at least 1, was " + bad);
      assertUsageError(brook("topics", "create", "t", "--replication-factor", bad), "brook topics create",
          "--replication-factor': must be at least 1, was " + bad);
      assertUsageError(brook("topics", "alter", "t", "--partitions", bad), "brook topics alter",
          "--partitions': must be at least 1, was " + bad);
    }
    assertUsageError(brook("topics", "create", "t", "--partitions", "99999999999"), "brook topics create",
        "not a whole number");
  }

  @Test
  void configOverridesNeedANameAndAnEquals() {
    for (String command : List.of("create", "alter")) {
      String name = "brook topics " + command;
      assertUsageError(brook("topics", command, "t", "--config", "=5"), name, "the config name before '=' is empty in '=5'");
      assertUsageError(brook("topics", command, "t", "--config", " =5"), name, "the config name before '=' is empty");
      assertUsageError(brook("topics", command, "t", "--config", "k"), name, "expected KEY=VALUE");
      assertUsageError(brook("topics", command, "t", "--config", ""), name, "expected KEY=VALUE");
    }
    assertUsageError(brook("topics", "alter", "t", "--delete-config", ""), "brook topics alter",
        "--delete-config' (K): a config name must not be empty");
    assertUsageError(brook("topics", "alter", "t", "--delete-config", " "), "brook topics alter",
        "a config name must not be empty");
  }

  @Test
  void startTimesBefore1970UnparsableOrBeyondALongOfMillisAreRefused() {
    // -1 ms would read as "latest" and -2 as "earliest" on the wire: the CLI never sends a time before 1970
    for (String before1970 : List.of("1969-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999",
        "1969-12-31", "-1", "-2", "-5", "-999999999-01-01T00:00:00Z")) {
      assertUsageError(brook("consume", "t", "--from-time", before1970), "brook consume",
          "times before 1970-01-01T00:00:00Z are not supported, was '" + before1970 + "'");
    }
    assertUsageError(brook("consume", "t", "--from-time", "+300000000-01-01T00:00:00Z"), "brook consume",
        "is too far in the future");
    assertUsageError(brook("consume", "t", "--from-time", "+292278994-08-17T07:12:55.808Z"), "brook consume",
        "is too far in the future");
    assertUsageError(brook("consume", "t", "--from-time", "99999999999999999999"), "brook consume",
        "beyond the range of a long");
    for (String unparsable : List.of("yesterday", "", "2024-13-01", "2024-05-01T25:00:00Z", "1.5")) {
      assertUsageError(brook("consume", "t", "--from-time", unparsable), "brook consume",
          "--from-time': expected epoch ms or ISO-8601");
    }
  }

  @Test
  void topicNamesThatCannotBeAPathSegmentAreRefused() {
    // "" made describe print "Topic: null" with exit 0 (GET /api/topics/ is the list); "." and ".." resolve away
    for (String name : List.of("", ".", "..")) {
      for (String command : List.of("create", "describe", "delete", "alter")) {
        assertUsageError(brook("topics", command, name), "brook topics " + command,
            "NAME");
      }
      assertUsageError(brook("produce", name), "brook produce", "TOPIC");
      assertUsageError(brook("consume", name), "brook consume", "TOPIC");
      assertUsageError(brook("partitions", "reassign", name + ":0", "--cancel"), "brook partitions reassign",
          "TOPIC:PARTITION");
      assertUsageError(brook("partitions", "elect-leaders", "--partition", name + ":0"),
          "brook partitions elect-leaders", "--partition");
    }
  }

  @Test
  void negativeBrokerIdsAndTimeoutsAreUsageErrors() {
    assertUsageError(brook("cluster", "remove-broker", "-1"), "brook cluster remove-broker", "a broker id is 0 or more");
    assertUsageError(brook("partitions", "reassign", "t:0", "--replicas", "1", "--wait", "--timeout-ms", "-5"),
        "brook partitions reassign", "--timeout-ms must be 0 or more, was -5");
  }

  @Test
  void badUsersInvocationsAreOneLine() {
    assertUsageError(brook("users"), "brook users", "Missing command: list, create, passwd or delete");
    assertUsageError(brook("users", "create"), "brook users create", "NAME");
    assertUsageError(brook("users", "delete", "bob", "extra"), "brook users delete", "'extra'");
    for (String name : List.of("", ".", "..")) {
      assertUsageError(brook("users", "delete", name), "brook users delete", "NAME");
    }
    assertUsageError(brook("users", "create", "bob", "--mechanism", "SCRAM-SHA-1"), "brook users create",
        "expected SCRAM-SHA-256 or SCRAM-SHA-512, was 'SCRAM-SHA-1'");
    assertUsageError(brook("users", "passwd", "bob", "--iterations", "0"), "brook users passwd",
        "--iterations': must be at least 1, was 0");
    assertUsageError(brook("users", "create", "bob", "--new-password-file", "f", "--new-password-stdin"),
        "brook users create", "mutually exclusive");
    // no option and no console: nothing to read the new password from
    assertUsageError(brook("users", "create", "bob"), "brook users create",
        "no new password: give --new-password-file FILE or --new-password-stdin (there is no console to ask on)");
    assertUsageError(brook("users", "passwd", "bob", "--new-password-file", "/no/such"), "brook users passwd",
        "cannot read --new-password-file /no/such: no such file");
  }

  @Test
  void badAclsInvocationsAreOneLine() {
    assertUsageError(brook("acls"), "brook acls", "Missing command: list, add or remove");
    assertUsageError(brook("acls", "add", "--topic", "t", "--operation", "READ"), "brook acls add", "--principal");
    assertUsageError(brook("acls", "add", "--principal", "User:a", "--operation", "READ"), "brook acls add",
        "--topic");
    assertUsageError(brook("acls", "add", "--principal", "User:a", "--topic", "t"), "brook acls add", "--operation");
    assertUsageError(brook("acls", "add", "--principal", "alice", "--topic", "t", "--operation", "READ"),
        "brook acls add", "expected a principal as User:NAME");
    assertUsageError(brook("acls", "add", "--principal", "User:", "--topic", "t", "--operation", "READ"),
        "brook acls add", "expected a principal as User:NAME");
    assertUsageError(brook("acls", "add", "--principal", "User:a", "--topic", "t", "--group", "g", "--operation",
        "READ"), "brook acls add", "mutually exclusive");
    assertUsageError(brook("acls", "add", "--principal", "User:a", "--topic", "t", "--operation", "FLY"),
        "brook acls add", "expected one of ALL, READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, "
            + "ALTER_CONFIGS, was 'FLY'");
    assertUsageError(brook("acls", "add", "--principal", "User:a", "--cluster", "--prefixed", "--operation", "ALTER"),
        "brook acls add", "--prefixed does not apply to --cluster");
    assertUsageError(brook("acls", "add", "--principal", "User:a", "--topic", "", "--operation", "READ"),
        "brook acls add", "a resource name must not be empty");
    assertUsageError(brook("acls", "add", "--principal", "User:a", "--topic", "t", "--operation", "READ", "--host",
        " "), "brook acls add", "a host must not be empty");
    assertUsageError(brook("acls", "add", "--principal", "User:a", "--topic", "t", "--operation", "READ", "--match"),
        "brook acls add", "--match");
    assertUsageError(brook("acls", "list", "--topic", "t", "--prefixed", "--match"), "brook acls list",
        "mutually exclusive");
    assertUsageError(brook("acls", "list", "--principal", "bob"), "brook acls list", "User:NAME");
    assertUsageError(brook("acls", "remove"), "brook acls remove",
        "Give a resource (--topic, --group or --cluster) or --principal");
    assertUsageError(brook("acls", "remove", "--operation", "READ", "--deny"), "brook acls remove",
        "Give a resource");
    assertUsageError(brook("acls", "remove", "--topic", "t", "--allow", "--deny"), "brook acls remove",
        "mutually exclusive");
  }

  @Test
  void aBootstrapThatIsNoHostAndPortIsAUsageError() {
    for (String bootstrap : List.of("nohost", "a b:1", "http://x", "https://x", "127.0.0.1:99999", "127.0.0.1:0", "",
        "ftp://127.0.0.1:21")) {
      assertUsageError(brookAt(bootstrap, "topics", "list"), "brook topics list", "--bootstrap must be HOST:PORT");
    }
  }
}
