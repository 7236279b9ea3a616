package io.brook.web.api;

import io.brook.metadata.Acl;
import io.brook.metadata.CreateAcl;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataImageBuilder;
import io.brook.protocol.Addresses;
import io.brook.protocol.message.AclEntry;
import io.brook.protocol.message.DescribeAclsRequest;
import io.brook.protocol.message.DescribeAclsResponse;
import io.brook.security.Authorizer;
import io.brook.security.AuthorizerConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What the caller may do with a resource, in Kafka's operation names ({@code authorizedOperations}
 * of {@code GET /api/topics/:name} and {@code GET /api/groups/:group}, {@code clusterOperations} of
 * a console session), so the console hides what would be refused. A hint for the UI only: every
 * request is still checked by the broker that serves it.
 *
 * <p>Without {@code authorizer.enabled} every operation is listed. With it, the cluster's ACLs are
 * read (DESCRIBE_ACLS, as the listener itself) at most once per {@link #MAX_AGE_MS} and evaluated
 * with the brokers' own {@link Authorizer}. A read-only console session gets only the read
 * operations. Owned by its verticle's event loop.
 */
public final class AuthorizedOperations {
  /** Where the authentication handler leaves the caller's view for the routes. */
  static final String CALLER_KEY = "brook.operations.caller";
  static final long MAX_AGE_MS = 1_000;
  static final Set<AclOperation> READ_OPERATIONS =
      Set.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
  static final Map<ResourceType, List<AclOperation>> OPERATIONS = new EnumMap<>(Map.of(
      ResourceType.TOPIC, List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER,
          AclOperation.ALTER_CONFIGS, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS),
      ResourceType.GROUP, List.of(AclOperation.READ, AclOperation.DELETE, AclOperation.DESCRIBE),
      ResourceType.CLUSTER, List.of(AclOperation.CREATE, AclOperation.ALTER, AclOperation.ALTER_CONFIGS,
          AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)));

  /** Who asks: principal, host, and whether the console is read-only for them. */
  record Caller(String principal, String host, boolean readOnly) {}

  private final BrokerClient brokers;
  private final AuthorizerConfig config;
  private Future<Authorizer> authorizer;
  private long readAtMs;

  /** @param brokers the listener's own client (its DESCRIBE_ACLS is not checked) */
  public AuthorizedOperations(BrokerClient brokers, AuthorizerConfig config) {
    this.brokers = brokers;
    this.config = config;
  }

  /** The operations the route's caller may perform on the resource. */
  static Future<JsonArray> of(RoutingContext ctx, ResourceType type, String name) {
    AuthorizedOperations operations = ctx.get(CALLER_KEY + ".self");
    Caller caller = ctx.get(CALLER_KEY);
    if (operations == null || caller == null) {
      return Future.succeededFuture(new JsonArray());
    }
    return operations.of(caller, type, name);
  }

  Future<JsonArray> of(Caller caller, ResourceType type, String name) {
    return authorizer().map(auth -> {
      JsonArray allowed = new JsonArray();
      for (AclOperation operation : OPERATIONS.get(type)) {
        if (caller.readOnly() && !READ_OPERATIONS.contains(operation)) {
          continue;
        }
        if (auth == null || auth.authorize(caller.principal(), caller.host(), operation, type, name)) {
          allowed.add(operation.name());
        }
      }
      return allowed;
    });
  }

  void putInto(RoutingContext ctx, Caller caller) {
    ctx.put(CALLER_KEY + ".self", this);
    ctx.put(CALLER_KEY, caller);
  }

  /** The authorizer over the cluster's ACLs now, or null when ACLs are not checked. */
  private Future<Authorizer> authorizer() {
    if (!config.enabled()) {
      return Future.succeededFuture(null);
    }
    long nowMs = System.currentTimeMillis();
    if (authorizer == null || (authorizer.isComplete() && nowMs - readAtMs > MAX_AGE_MS)) {
      readAtMs = nowMs;
      authorizer = brokers.<DescribeAclsResponse>requestAnyBroker(Addresses.DESCRIBE_ACLS, new DescribeAclsRequest(null))
          .map(this::authorizerOf);
    }
    return authorizer;
  }

  private Authorizer authorizerOf(DescribeAclsResponse response) {
    MetadataImageBuilder builder = new MetadataImageBuilder(MetadataImage.EMPTY);
    long offset = MetadataImage.EMPTY.lastOffset();
    for (AclEntry entry : response.acls()) {
      builder.apply(new CreateAcl(Acl.of(entry.toBinding())), ++offset);
    }
    return Authorizer.of(config, builder.build());
  }
}
