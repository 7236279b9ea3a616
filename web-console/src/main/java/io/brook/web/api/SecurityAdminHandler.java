package io.brook.web.api;

import io.brook.metadata.UserScramCredential;
import io.brook.protocol.Addresses;
import io.brook.protocol.message.AclEntry;
import io.brook.protocol.message.AclFilter;
import io.brook.protocol.message.CreateAclsRequest;
import io.brook.protocol.message.DeleteAclsRequest;
import io.brook.protocol.message.DeleteUserRequest;
import io.brook.protocol.message.DescribeAclsRequest;
import io.brook.protocol.message.DescribeUsersRequest;
import io.brook.protocol.message.UpsertUserRequest;
import io.brook.security.ScramCredentials;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Users and ACLs: {@code /api/users} (list, create, change a password, delete) and {@code /api/acls}
 * (list with a filter, add, delete by filters), relayed to the cluster's admin addresses as the
 * caller, so the serving broker checks DESCRIBE / ALTER on the cluster. A password is turned into its
 * SCRAM credential here, on a worker thread (PBKDF2), and only the salted keys travel on, as Kafka's
 * AlterUserScramCredentials does. docs/PROTOCOL.md has the bodies.
 */
public final class SecurityAdminHandler {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final java.util.Base64.Encoder BASE64 = java.util.Base64.getEncoder();
  private static final List<String> ACL_FIELDS =
      List.of("resourceType", "resourceName", "patternType", "principal", "host", "operation", "permission");

  public void mount(Router router) {
    router.get("/api/users").handler(this::listUsers);
    router.post("/api/users").handler(ctx -> setPassword(ctx, requiredString(Params.bodyObject(ctx), "name"),
        UpsertUserRequest.Mode.CREATE, 201));
    router.put("/api/users/:name").handler(ctx -> setPassword(ctx, ctx.pathParam("name"), UpsertUserRequest.Mode.UPDATE, 200));
    router.delete("/api/users/:name").handler(this::deleteUser);
    router.get("/api/acls").handler(this::listAcls);
    router.post("/api/acls").handler(this::createAcls);
    router.post("/api/acls/delete").handler(this::deleteAcls);
  }

  private void listUsers(RoutingContext ctx) {
    Responses.json(ctx, 200, BrokerClient.of(ctx).requestAnyBroker(Addresses.DESCRIBE_USERS, new DescribeUsersRequest(null)));
  }

  private void setPassword(RoutingContext ctx, String name, UpsertUserRequest.Mode mode, int status) {
    JsonObject body = Params.bodyObject(ctx);
    String password = requiredString(body, "password");
    ScramMechanism mechanism = mechanism(body);
    int iterations = Params.jsonInt(body, "iterations", ScramCredentials.DEFAULT_ITERATIONS,
        mechanism.minIterations(), mechanism.maxIterations());
    BrokerClient caller = BrokerClient.of(ctx);
    Future<UserScramCredential> credential = ctx.vertx().executeBlocking(
        () -> ScramCredentials.create(name, mechanism, password, iterations, RANDOM), false);
    Responses.json(ctx, status, credential.compose(c -> caller.request(Addresses.UPSERT_USER,
        new UpsertUserRequest(name, mechanism.mechanismName(), BASE64.encodeToString(c.salt()),
            BASE64.encodeToString(c.storedKey()), BASE64.encodeToString(c.serverKey()), c.iterations(), mode))));
  }

  private void deleteUser(RoutingContext ctx) {
    Responses.json(ctx, 200, BrokerClient.of(ctx).request(Addresses.DELETE_USER,
        new DeleteUserRequest(ctx.pathParam("name"), ctx.queryParams().get("mechanism"))));
  }

  private void listAcls(RoutingContext ctx) {
    Function<String, String> query = name -> ctx.queryParams().get(name);
    AclFilter filter = new AclFilter(query.apply("resourceType"), query.apply("resourceName"),
        query.apply("patternType"), query.apply("principal"), query.apply("host"), query.apply("operation"),
        query.apply("permission"));
    Responses.json(ctx, 200, BrokerClient.of(ctx).requestAnyBroker(Addresses.DESCRIBE_ACLS, new DescribeAclsRequest(filter)));
  }

  private void createAcls(RoutingContext ctx) {
    List<AclEntry> acls = new ArrayList<>();
    for (JsonObject acl : objects(Params.bodyObject(ctx), "acls")) {
      acls.add(new AclEntry(field(acl, "resourceType"), field(acl, "resourceName"), field(acl, "patternType"),
          field(acl, "principal"), field(acl, "host"), field(acl, "operation"), field(acl, "permission")));
    }
    Responses.json(ctx, 201, BrokerClient.of(ctx).request(Addresses.CREATE_ACLS, new CreateAclsRequest(acls)));
  }

  private void deleteAcls(RoutingContext ctx) {
    List<AclFilter> filters = new ArrayList<>();
    for (JsonObject filter : objects(Params.bodyObject(ctx), "filters")) {
      filters.add(new AclFilter(field(filter, "resourceType"), field(filter, "resourceName"),
          field(filter, "patternType"), field(filter, "principal"), field(filter, "host"), field(filter, "operation"),
          field(filter, "permission")));
    }
    Responses.json(ctx, 200, BrokerClient.of(ctx).request(Addresses.DELETE_ACLS, new DeleteAclsRequest(filters)));
  }

  private static ScramMechanism mechanism(JsonObject body) {
    Object name = body.getValue("mechanism", ScramMechanism.SCRAM_SHA_256.mechanismName());
    ScramMechanism mechanism = name instanceof String text ? ScramMechanism.forMechanismName(text) : null;
    if (mechanism == null) {
      throw new UnsupportedSaslMechanismException("'mechanism' must be one of " + ScramMechanism.mechanismNames());
    }
    return mechanism;
  }

  private static String requiredString(JsonObject body, String key) {
    if (!(body.getValue(key) instanceof String value)) {
      throw new InvalidRequestException("'" + key + "' (a string) is required");
    }
    return value;
  }

  /** A non-empty array of objects under {@code key}, each with only ACL fields. */
  private static List<JsonObject> objects(JsonObject body, String key) {
    if (!(body.getValue(key) instanceof JsonArray array) || array.isEmpty()) {
      throw new InvalidRequestException("'" + key + "' (a non-empty array of objects) is required");
    }
    List<JsonObject> objects = new ArrayList<>();
    for (Object entry : array) {
      if (!(entry instanceof JsonObject object)) {
        throw new InvalidRequestException("'" + key + "' must hold objects, found " + entry);
      }
      for (String name : object.fieldNames()) {
        if (!ACL_FIELDS.contains(name)) {
          throw new InvalidRequestException("unknown ACL field '" + Params.abbreviate(name) + "': expected " + ACL_FIELDS);
        }
      }
      objects.add(object);
    }
    return objects;
  }

  private static String field(JsonObject object, String key) {
    Object value = object.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw new InvalidRequestException("ACL field '" + key + "' must be a string");
    }
    return (String) value;
  }
}
