package io.brook.cli;

import static io.brook.cli.RecordingApi.assertFailure;
import static io.brook.cli.RecordingApi.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cli.BrookCliEndToEndTest.Result;
import io.brook.cli.RecordingApi.Request;
import io.brook.cli.RecordingApi.TypedPrompt;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code brook acls list|add|remove} against a stand-in API: the filters and ACLs of the HTTP contract (a resource
 * option is its LITERAL pattern unless --prefixed or --match; a field left out of a filter is left out of the
 * request), one ACL per --operation, the answers as a table, and exit 1 with one line when a result carries an error.
 */
class BrookCliAclsTest {
  static final String AUTH = basic("admin", "pw");
  static final String ORDERS_READ = "{\"resourceType\":\"TOPIC\",\"resourceName\":\"orders\",\"patternType\":\"LITERAL\","
      + "\"principal\":\"User:alice\",\"host\":\"*\",\"operation\":\"READ\",\"permission\":\"ALLOW\"}";
  static final String ORDERS_WRITE = ORDERS_READ.replace("READ", "WRITE");
  static final String TABLE = """
      TYPE   NAME    PATTERN  PRINCIPAL   HOST  OPERATION  PERMISSION
      TOPIC  orders  LITERAL  User:alice  *     READ       ALLOW
      TOPIC  orders  LITERAL  User:alice  *     WRITE      ALLOW
      """;

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
    return api.brook(Map.of("BROOK_USER", "admin", "BROOK_PASSWORD", "pw"), TypedPrompt.none(), "", args);
  }

  @Test
  void listAllAsATable() {
    api.on("GET", "/api/acls", 200, "{\"acls\":[" + ORDERS_READ + "," + ORDERS_WRITE + "]}");
    Result result = brook("acls", "list");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo(TABLE);
    assertThat(api.requests).containsExactly(new Request("GET", "/api/acls", "", AUTH));
  }

  @Test
  void listFiltersByPrincipalResourceAndPatternType() {
    api.on("GET", "/api/acls", 200, "{\"acls\":[]}");
    assertThat(brook("acls", "list", "--principal", "User:alice", "--topic", "orders").out())
        .isEqualTo("TYPE  NAME  PATTERN  PRINCIPAL  HOST  OPERATION  PERMISSION\n");
    brook("acls", "list", "--topic", "orders", "--match");
    brook("acls", "list", "--group", "billing-", "--prefixed");
    brook("acls", "list", "--cluster");
    brook("acls", "list", "--principal", "User:*");
    assertThat(api.requests).extracting(Request::uri).containsExactly(
        "/api/acls?resourceType=TOPIC&resourceName=orders&patternType=LITERAL&principal=User%3Aalice",
        "/api/acls?resourceType=TOPIC&resourceName=orders&patternType=MATCH",
        "/api/acls?resourceType=GROUP&resourceName=billing-&patternType=PREFIXED",
        "/api/acls?resourceType=CLUSTER&resourceName=kafka-cluster&patternType=LITERAL",
        "/api/acls?principal=User%3A%2A");
  }

  @Test
  void addSendsOneAclPerOperation() {
    api.on("POST", "/api/acls", 201, "{\"results\":[{\"acl\":" + ORDERS_READ + ",\"error\":\"NONE\",\"message\":null},"
        + "{\"acl\":" + ORDERS_WRITE + ",\"error\":\"NONE\",\"message\":null}]}");
    Result result = brook("acls", "add", "--principal", "User:alice", "--topic", "orders", "--operation", "read",
        "--operation", "WRITE", "--operation", "READ");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Added 2 ACLs:\n" + TABLE);
    assertThat(api.requests).containsExactly(new Request("POST", "/api/acls",
        "{\"acls\":[" + ORDERS_READ + "," + ORDERS_WRITE + "]}", AUTH));
  }

  @Test
  void addADenyOnAPrefixedGroupFromOneHost() {
    String acl = "{\"resourceType\":\"GROUP\",\"resourceName\":\"billing-\",\"patternType\":\"PREFIXED\","
        + "\"principal\":\"User:mallory\",\"host\":\"10.0.0.7\",\"operation\":\"DESCRIBE_CONFIGS\",\"permission\":\"DENY\"}";
    api.on("POST", "/api/acls", 201, "{\"results\":[{\"acl\":" + acl + ",\"error\":\"NONE\",\"message\":null}]}");
    Result result = brook("acls", "add", "--principal", "User:mallory", "--group", "billing-", "--prefixed",
        "--operation", "describe-configs", "--deny", "--host", "10.0.0.7");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("Added 1 ACL:\n").contains("GROUP  billing-  PREFIXED  User:mallory  10.0.0.7");
    assertThat(api.requests.get(0).body()).isEqualTo("{\"acls\":[" + acl + "]}");

    brook("acls", "add", "--principal", "User:ops", "--cluster", "--operation", "ALTER");
    assertThat(api.requests.get(1).body()).isEqualTo("{\"acls\":[{\"resourceType\":\"CLUSTER\","
        + "\"resourceName\":\"kafka-cluster\",\"patternType\":\"LITERAL\",\"principal\":\"User:ops\",\"host\":\"*\","
        + "\"operation\":\"ALTER\",\"permission\":\"ALLOW\"}]}");
  }

  @Test
  void aResultWithAnErrorExitsOneWithOneLineAfterListingWhatWasAdded() {
    api.on("POST", "/api/acls", 201, "{\"results\":[{\"acl\":" + ORDERS_READ + ",\"error\":\"NONE\",\"message\":null},"
        + "{\"acl\":" + ORDERS_WRITE + ",\"error\":\"INVALID_REQUEST\",\"message\":\"no room\\nfor it\"}]}");
    Result result = brook("acls", "add", "--principal", "User:alice", "--topic", "orders", "--operation", "READ",
        "--operation", "WRITE");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).isEqualTo("""
        Added 1 ACL:
        TYPE   NAME    PATTERN  PRINCIPAL   HOST  OPERATION  PERMISSION
        TOPIC  orders  LITERAL  User:alice  *     READ       ALLOW
        """);
    assertThat(result.err()).isEqualTo("Error: 1 of 2 ACLs not added: INVALID_REQUEST: no room for it "
        + "(ALLOW WRITE on TOPIC orders (LITERAL) for User:alice)\n");
  }

  @Test
  void removeSendsAFilterAndPrintsWhatWasRemoved() {
    api.on("POST", "/api/acls/delete", 200, "{\"results\":[{\"error\":\"NONE\",\"message\":null,\"deleted\":["
        + ORDERS_READ + "," + ORDERS_WRITE + "]}]}");
    Result result = brook("acls", "remove", "--topic", "orders");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Removed 2 ACLs:\n" + TABLE);
    assertThat(api.requests).containsExactly(new Request("POST", "/api/acls/delete",
        "{\"filters\":[{\"resourceType\":\"TOPIC\",\"resourceName\":\"orders\",\"patternType\":\"LITERAL\"}]}", AUTH));
  }

  @Test
  void removeByPrincipalSendsOneFilterPerOperationWithTheGivenFieldsOnly() {
    api.on("POST", "/api/acls/delete", 200, "{\"results\":[{\"error\":\"NONE\",\"message\":null,\"deleted\":[]},"
        + "{\"error\":\"NONE\",\"message\":null,\"deleted\":[]}]}");
    Result result = brook("acls", "remove", "--principal", "User:bob", "--operation", "READ", "--operation", "WRITE",
        "--deny", "--host", "10.0.0.7");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("No ACL matched; nothing removed.\n");
    assertThat(api.requests.get(0).body()).isEqualTo("{\"filters\":["
        + "{\"principal\":\"User:bob\",\"host\":\"10.0.0.7\",\"operation\":\"READ\",\"permission\":\"DENY\"},"
        + "{\"principal\":\"User:bob\",\"host\":\"10.0.0.7\",\"operation\":\"WRITE\",\"permission\":\"DENY\"}]}");

    brook("acls", "remove", "--group", "g", "--match", "--allow");
    assertThat(api.requests.get(1).body()).isEqualTo("{\"filters\":[{\"resourceType\":\"GROUP\",\"resourceName\":\"g\","
        + "\"patternType\":\"MATCH\",\"permission\":\"ALLOW\"}]}");
    brook("acls", "remove", "--principal", "User:bob", "--prefixed");
    assertThat(api.requests.get(2).body()).isEqualTo("{\"filters\":[{\"patternType\":\"PREFIXED\","
        + "\"principal\":\"User:bob\"}]}");
  }

  @Test
  void aFilterTheBrokerRefusesExitsOne() {
    api.on("POST", "/api/acls/delete", 200,
        "{\"results\":[{\"error\":\"INVALID_REQUEST\",\"message\":\"bad filter\",\"deleted\":[]}]}");
    assertFailure(brook("acls", "remove", "--cluster"), "1 of 1 filters failed: INVALID_REQUEST: bad filter");
  }
}
