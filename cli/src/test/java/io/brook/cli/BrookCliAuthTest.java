package io.brook.cli;

import static io.brook.cli.BrookCliUsageErrorTest.assertUsageError;
import static io.brook.cli.RecordingApi.assertFailure;
import static io.brook.cli.RecordingApi.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.brook.cli.BrookCliEndToEndTest.Result;
import io.brook.cli.RecordingApi.Request;
import io.brook.cli.RecordingApi.TypedPrompt;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials: with a user, every request of a command carries Basic credentials from the first one on, the
 * password taken from --password-file, $BROOK_PASSWORD, $BROOK_PASSWORD_FILE or the console (asked once), in that
 * order, and never printed; a password without a user, a user Basic cannot carry, no console to ask on, or a
 * --password option are usage errors before any request. A 401 or a 403 is one line naming the user or the refusal.
 */
class BrookCliAuthTest {
  static final String TOPICS = "{\"topics\":[{\"name\":\"orders\"}]}";

  @TempDir
  Path dir;
  RecordingApi api;

  @BeforeEach
  void start() throws Exception {
    api = RecordingApi.http().on("GET", "/api/topics", 200, TOPICS);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Result topicsList(Map<String, String> env, PasswordPrompt prompt, String... options) {
    List<String> args = new ArrayList<>(List.of(options));
    args.addAll(List.of("topics", "list"));
    return api.brook(env, prompt, "", args.toArray(new String[0]));
  }

  @Test
  void withoutAUserNoCredentialsAreSent() {
    Result result = topicsList(Map.of(), TypedPrompt.none());
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(api.requests).extracting(Request::authorization).containsExactly((String) null);
  }

  @Test
  void thePasswordComesFromTheFileOptionThenTheEnvironmentThenTheConsole() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "from-file\n");
    Path envFile = Files.writeString(dir.resolve("env-pw"), "from-env-file");
    TypedPrompt unused = TypedPrompt.none();
    topicsList(Map.of("BROOK_USER", "alice", "BROOK_PASSWORD", "from-env"), unused, "--password-file", file.toString());
    topicsList(Map.of("BROOK_USER", "alice", "BROOK_PASSWORD", "from-env", "BROOK_PASSWORD_FILE", envFile.toString()),
        unused);
    topicsList(Map.of("BROOK_USER", "alice", "BROOK_PASSWORD_FILE", envFile.toString()), unused);
    TypedPrompt console = TypedPrompt.typing("typed");
    topicsList(Map.of(), console, "--user", "alice");
    topicsList(Map.of("BROOK_USER", "bob", "BROOK_PASSWORD", "x"), unused, "--user", "alice");
    assertThat(api.requests).extracting(Request::authorization).containsExactly(basic("alice", "from-file"),
        basic("alice", "from-env"), basic("alice", "from-env-file"), basic("alice", "typed"), basic("alice", "x"));
    assertThat(console.shown).containsExactly("Password for alice at " + api.bootstrap() + ": ");
  }

  @Test
  void everyRequestOfACommandCarriesTheCredentialsAndThePasswordIsAskedOnce() {
    api.on("POST", "/api/topics/t/partitions", 200, "{\"partitions\":[{},{},{}]}")
        .on("PUT", "/api/topics/t/configs", 200, "{\"configOverrides\":{\"retention.ms\":\"5\"}}");
    TypedPrompt console = TypedPrompt.typing("pässwörd:with colon");
    Result result = api.brook(Map.of(), console, "", "--user", "alice", "topics", "alter", "t", "--partitions", "3",
        "--config", "retention.ms=5");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(console.shown).hasSize(1);
    assertThat(api.requests).hasSize(2).extracting(Request::authorization)
        .containsOnly(basic("alice", "pässwörd:with colon"));
  }

  @Test
  void aRefusedLoginIsOneLineNamingTheUserAndTheNode() {
    api.on("GET", "/api/topics", 401, "{\"error\":\"SASL_AUTHENTICATION_FAILED\",\"message\":\"Authentication failed: "
        + "invalid credentials\"}", Map.of("WWW-Authenticate", "Basic realm=\"brook\""));
    Result result = topicsList(Map.of("BROOK_PASSWORD", "wrong"), TypedPrompt.none(), "--user", "alice");
    assertFailure(result, "authentication failed for user alice at " + api.bootstrap()
        + ": Authentication failed: invalid credentials");
    assertThat(result.err()).doesNotContain("wrong");

    assertFailure(topicsList(Map.of(), TypedPrompt.none()), "the node at " + api.bootstrap() + " requires "
        + "authentication (Authentication failed: invalid credentials); give --user NAME or set $BROOK_USER");
  }

  @Test
  void aRefusalWhoseBodyIsNotJsonIsStillAnAuthenticationFailure() {
    api.on("GET", "/api/topics", 401, "<html>no</html>");
    assertFailure(topicsList(Map.of("BROOK_PASSWORD", "pw"), TypedPrompt.none(), "--user", "alice"),
        "authentication failed for user alice at " + api.bootstrap() + ": HTTP_401");
  }

  @Test
  void aForbiddenRequestIsOneLineWithTheBrokersReason() {
    for (String error : List.of("TOPIC_AUTHORIZATION_FAILED", "CLUSTER_AUTHORIZATION_FAILED",
        "GROUP_AUTHORIZATION_FAILED")) {
      api.on("GET", "/api/topics", 403, "{\"error\":\"" + error + "\",\"message\":\"User:alice may not DESCRIBE\"}");
      assertFailure(topicsList(Map.of("BROOK_PASSWORD", "pw"), TypedPrompt.none(), "--user", "alice"),
          "not authorized: User:alice may not DESCRIBE");
    }
    api.on("GET", "/api/users", 403, "{\"error\":\"CLUSTER_AUTHORIZATION_FAILED\"}");
    assertFailure(api.brook(Map.of("BROOK_PASSWORD", "pw"), TypedPrompt.none(), "", "--user", "alice", "users", "list"),
        "not authorized: CLUSTER_AUTHORIZATION_FAILED");
  }

  @Test
  void credentialProblemsAreUsageErrorsBeforeAnyRequest() throws Exception {
    String node = api.bootstrap();
    assertUsageError(topicsList(Map.of(), TypedPrompt.none(), "--user", "alice"), "brook topics list",
        "no password for user alice: set $BROOK_PASSWORD or $BROOK_PASSWORD_FILE, or give --password-file FILE "
            + "(there is no console to ask on)");
    assertUsageError(topicsList(Map.of(), TypedPrompt.typing(), "--user", "alice"), "brook topics list",
        "no password entered for user alice");
    assertUsageError(topicsList(Map.of("BROOK_PASSWORD", "pw"), TypedPrompt.none()), "brook topics list",
        "$BROOK_PASSWORD is given but no user: give --user NAME or set $BROOK_USER");
    assertUsageError(topicsList(Map.of(), TypedPrompt.none(), "--password-file", "/no/such"), "brook topics list",
        "--password-file is given but no user");
    assertUsageError(topicsList(Map.of("BROOK_PASSWORD", "pw"), TypedPrompt.none(), "--user", "a:b"),
        "brook topics list", "contains ':'");
    assertUsageError(topicsList(Map.of("BROOK_PASSWORD", "pw"), TypedPrompt.none(), "--user", ""),
        "brook topics list", "--user must not be empty");
    assertUsageError(topicsList(Map.of(), TypedPrompt.none(), "--user", "alice", "--password-file", "/no/such"),
        "brook topics list", "cannot read --password-file /no/such: no such file");
    Path empty = Files.writeString(dir.resolve("empty"), "\nsecond");
    assertUsageError(topicsList(Map.of(), TypedPrompt.none(), "--user", "alice", "--password-file", empty.toString()),
        "brook topics list", "has no password on its first line");
    assertUsageError(topicsList(Map.of("BROOK_USER", "alice", "BROOK_PASSWORD_FILE", "/no/such"), TypedPrompt.none()),
        "brook topics list", "cannot read $BROOK_PASSWORD_FILE /no/such: no such file");
    assertThat(api.requests).isEmpty();
    assertThat(node).startsWith("http://");
  }

  @Test
  void aPasswordSentUnencryptedBeyondThisHostIsWarnedAbout() throws Exception {
    InetAddress external = NetworkInterface.networkInterfaces().filter(BrookCliAuthTest::isUp)
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).findFirst().orElse(null);
    assumeTrue(external != null, "no non-loopback IPv4 address on this machine");
    try (RecordingApi remote = RecordingApi.http(external)) {
      remote.on("GET", "/api/topics", 200, TOPICS);
      Result result = remote.brook(Map.of("BROOK_USER", "alice", "BROOK_PASSWORD", "pw"), TypedPrompt.none(), "",
          "topics", "list");
      assertThat(result.exit()).isZero();
      assertThat(result.err()).isEqualTo("Warning: sending the password of alice unencrypted to " + remote.bootstrap()
          + "; use https:// if the node serves it\n");
    }
    assertThat(topicsList(Map.of("BROOK_USER", "alice", "BROOK_PASSWORD", "pw"), TypedPrompt.none()).err()).isEmpty();
  }

  private static boolean isUp(NetworkInterface nic) {
    try {
      return nic.isUp();
    } catch (SocketException e) {
      return false;
    }
  }

  @Test
  void aPasswordOptionIsRefusedWithoutEchoingThePassword() {
    for (List<String> args : List.of(List.of("--user", "alice", "--password", "hunter2", "topics", "list"),
        List.of("topics", "list", "--password=hunter2"),
        List.of("users", "create", "bob", "--new-password", "hunter2"))) {
      Result result = api.brook(Map.of(), TypedPrompt.none(), "", args.toArray(new String[0]));
      assertThat(result.exit()).isEqualTo(2);
      assertThat(result.err()).startsWith("Error: there is no --password option: a password on the command line "
          + "shows in ps and the shell's history").doesNotContain("hunter2");
    }
    assertThat(api.requests).isEmpty();
  }
}
