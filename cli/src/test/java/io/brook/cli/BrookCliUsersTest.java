package io.brook.cli;

import static io.brook.cli.RecordingApi.assertFailure;
import static io.brook.cli.RecordingApi.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cli.BrookCliEndToEndTest.Result;
import io.brook.cli.RecordingApi.Request;
import io.brook.cli.RecordingApi.TypedPrompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code brook users list|create|passwd|delete} against a stand-in API: each sends the request of the HTTP contract
 * (method, path, JSON body) with the admin's Basic credentials, reads the new password from a file, stdin or the
 * console (typed twice), prints the answer, and exits 1 with one line on the broker's refusals.
 */
class BrookCliUsersTest {
  static final Map<String, String> ADMIN = Map.of("BROOK_USER", "admin", "BROOK_PASSWORD", "admin-secret");
  static final String ADMIN_AUTH = basic("admin", "admin-secret");
  static final String CREATED = "{\"name\":\"bob\",\"mechanism\":\"SCRAM-SHA-512\",\"iterations\":8192}";

  @TempDir
  Path dir;
  RecordingApi api;

  @BeforeEach
  void start() throws Exception {
    api = RecordingApi.http();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Result brook(String... args) {
    return api.brook(ADMIN, TypedPrompt.none(), "", args);
  }

  @Test
  void listPrintsOneRowPerCredential() {
    api.on("GET", "/api/users", 200, "{\"users\":[{\"name\":\"alice\",\"credentials\":["
        + "{\"mechanism\":\"SCRAM-SHA-256\",\"iterations\":4096},{\"mechanism\":\"SCRAM-SHA-512\",\"iterations\":8192}]},"
        + "{\"name\":\"bob\",\"credentials\":[{\"mechanism\":\"SCRAM-SHA-256\",\"iterations\":4096}]}]}");
    Result result = brook("users", "list");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("""
        NAME   MECHANISM      ITERATIONS
        alice  SCRAM-SHA-256  4096
        alice  SCRAM-SHA-512  8192
        bob    SCRAM-SHA-256  4096
        """);
    assertThat(api.requests).containsExactly(new Request("GET", "/api/users", "", ADMIN_AUTH));
  }

  @Test
  void createReadsTheFirstLineOfThePasswordFileAndSendsMechanismAndIterations() throws Exception {
    Path file = Files.writeString(dir.resolve("bob.pw"), "s3cret pw\r\nsecond line\n");
    api.on("POST", "/api/users", 201, CREATED);
    Result result = brook("users", "create", "bob", "--mechanism", "scram-sha-512", "--iterations", "8192",
        "--new-password-file", file.toString());
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Created user bob (SCRAM-SHA-512, 8192 iterations).\n");
    assertThat(api.requests).containsExactly(new Request("POST", "/api/users",
        "{\"name\":\"bob\",\"password\":\"s3cret pw\",\"mechanism\":\"SCRAM-SHA-512\",\"iterations\":8192}", ADMIN_AUTH));
    assertThat(result.out() + result.err()).doesNotContain("s3cret").doesNotContain("admin-secret");
  }

  @Test
  void createFromStdinLeavesMechanismAndIterationsToTheBroker() {
    api.on("POST", "/api/users", 201, "{\"name\":\"bob\",\"mechanism\":\"SCRAM-SHA-256\",\"iterations\":4096}");
    Result result = api.brook(ADMIN, TypedPrompt.none(), "pässword \"quoted\"\nnot this\n", "users", "create", "bob",
        "--new-password-stdin");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Created user bob (SCRAM-SHA-256, 4096 iterations).\n");
    assertThat(api.requests.get(0).body()).isEqualTo("{\"name\":\"bob\",\"password\":\"pässword \\\"quoted\\\"\"}");
  }

  @Test
  void withoutAPasswordOptionTheConsoleAsksForTheLoginPasswordThenTheNewOneTwice() {
    api.on("POST", "/api/users", 201, CREATED);
    TypedPrompt console = TypedPrompt.typing("admin-secret", "new-pw", "new-pw");
    Result result = api.brook(Map.of("BROOK_USER", "admin"), console, "", "users", "create", "bob");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(console.shown).containsExactly("Password for admin at " + api.bootstrap() + ": ",
        "New password for bob: ", "Retype the new password for bob: ");
    assertThat(api.requests).containsExactly(new Request("POST", "/api/users",
        "{\"name\":\"bob\",\"password\":\"new-pw\"}", ADMIN_AUTH));
  }

  @Test
  void passwordsTypedDifferentlyChangeNothing() {
    Result result = api.brook(ADMIN, TypedPrompt.typing("one", "two"), "", "users", "passwd", "bob");
    assertFailure(result, "the passwords do not match; nothing changed");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void aSecondCredentialOfTheSameMechanismIsRefusedWithAHint() {
    api.on("POST", "/api/users", 409,
        "{\"error\":\"DUPLICATE_RESOURCE\",\"message\":\"user bob already has a SCRAM-SHA-256 credential\"}");
    Result result = api.brook(ADMIN, TypedPrompt.none(), "pw\n", "users", "create", "bob", "--new-password-stdin");
    assertFailure(result, "DUPLICATE_RESOURCE: user bob already has a SCRAM-SHA-256 credential "
        + "(change the password with: brook users passwd bob)");
  }

  @Test
  void passwdPutsTheNewPassword() {
    api.on("PUT", "/api/users/bob", 200, CREATED);
    Result result = api.brook(ADMIN, TypedPrompt.none(), "n3w\n", "users", "passwd", "bob", "--iterations", "8192",
        "--new-password-stdin");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Changed the password of user bob (SCRAM-SHA-512, 8192 iterations).\n");
    assertThat(api.requests).containsExactly(new Request("PUT", "/api/users/bob",
        "{\"password\":\"n3w\",\"iterations\":8192}", ADMIN_AUTH));
  }

  @Test
  void passwdOfAnUnknownUserSaysHowToCreateIt() {
    api.on("PUT", "/api/users/carol", 404, "{\"error\":\"RESOURCE_NOT_FOUND\",\"message\":\"no credential for carol\"}");
    Result result = api.brook(ADMIN, TypedPrompt.none(), "pw\n", "users", "passwd", "carol", "--new-password-stdin");
    assertFailure(result, "RESOURCE_NOT_FOUND: no credential for carol (create it with: brook users create carol)");
  }

  @Test
  void aBrokerRefusingThePasswordOrMechanismExitsOne() {
    api.on("POST", "/api/users", 400,
        "{\"error\":\"UNACCEPTABLE_CREDENTIAL\",\"message\":\"iterations must be between 4096 and 16384\"}");
    Result result = api.brook(ADMIN, TypedPrompt.none(), "pw\n", "users", "create", "bob", "--iterations", "5",
        "--new-password-stdin");
    assertFailure(result, "UNACCEPTABLE_CREDENTIAL: iterations must be between 4096 and 16384");
  }

  @Test
  void deleteRemovesEveryCredentialAndEncodesTheName() {
    api.on("DELETE", "/api/users/bob", 200, "{\"name\":\"bob\",\"deleted\":[\"SCRAM-SHA-256\",\"SCRAM-SHA-512\"]}");
    Result result = brook("users", "delete", "bob");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Deleted user bob (SCRAM-SHA-256, SCRAM-SHA-512).\n");
    assertThat(api.requests).containsExactly(new Request("DELETE", "/api/users/bob", "", ADMIN_AUTH));

    api.on("DELETE", "/api/users/a%20b%2Fc", 404, "{\"error\":\"RESOURCE_NOT_FOUND\",\"message\":\"no user 'a b/c'\"}");
    assertFailure(brook("users", "delete", "a b/c"), "RESOURCE_NOT_FOUND: no user 'a b/c'");
    assertThat(api.requests.get(1).uri()).isEqualTo("/api/users/a%20b%2Fc");
  }
}
