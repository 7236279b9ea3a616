package io.brook.verticles.security;

import io.brook.metadata.Acl;
import io.brook.metadata.AclImage;
import io.brook.metadata.MetadataImage;
import io.brook.protocol.Addresses;
import io.brook.protocol.Caller;
import io.brook.security.Authorizer;
import io.brook.security.AuthorizerConfig;
import io.vertx.core.eventbus.Message;
import java.util.function.Supplier;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL check of one API verticle: who sent a request ({@link Addresses#PRINCIPAL_HEADER}, set by
 * the listener that authenticated it) and whether the ACLs of this broker's metadata image let them
 * do it. A request without the header comes from a cluster member and is let through, as is every
 * request while {@code authorizer.enabled} is false. Refusals are Kafka's errors
 * (TOPIC_/GROUP_/CLUSTER_AUTHORIZATION_FAILED). Owned by its verticle's event loop.
 */
public final class RequestAuthorizer {
  private final boolean enabled;
  private final Supplier<MetadataImage> latestImage;
  private Authorizer authorizer;

  /** {@code latestImage}: the broker's newest image ({@code MetadataImages.latest}), read at each check. */
  public RequestAuthorizer(AuthorizerConfig config, Supplier<MetadataImage> latestImage) {
    this.enabled = config.enabled();
    this.latestImage = latestImage;
    this.authorizer = Authorizer.of(config, MetadataImage.EMPTY);
  }

  /** The ACLs of the newest image: an ACL answered as created is in force here at once. */
  private Authorizer current() {
    AclImage acls = latestImage.get().acls();
    if (acls != authorizer.acls()) {
      authorizer = authorizer.withAcls(acls); // the index is rebuilt only when the ACLs changed
    }
    return authorizer;
  }

  /** Whether the sender of {@code message} may perform {@code operation} on the resource. */
  public boolean allowed(Message<?> message, AclOperation operation, ResourceType type, String name) {
    return allowed(Caller.of(message.headers()), operation, type, name);
  }

  /** Whether {@code caller} may perform {@code operation} on the resource; a cluster member may. */
  public boolean allowed(Caller caller, AclOperation operation, ResourceType type, String name) {
    if (!enabled || caller.isMember()) {
      return true; // a cluster member: mutual TLS vouches for it
    }
    return current().authorize(caller.principal(), caller.host() == null ? "" : caller.host(), operation, type, name);
  }

  public boolean allowedOnTopic(Message<?> message, AclOperation operation, String topic) {
    return allowed(message, operation, ResourceType.TOPIC, topic);
  }

  /** Throws Kafka's authorization error unless {@link #allowed}. */
  public void require(Message<?> message, AclOperation operation, ResourceType type, String name) {
    require(Caller.of(message.headers()), operation, type, name);
  }

  public void require(Caller caller, AclOperation operation, ResourceType type, String name) {
    if (!allowed(caller, operation, type, name)) {
      throw refused(caller, operation, type, name);
    }
  }

  public void requireOnTopic(Message<?> message, AclOperation operation, String topic) {
    require(message, operation, ResourceType.TOPIC, topic);
  }

  public void requireOnTopic(Caller caller, AclOperation operation, String topic) {
    require(caller, operation, ResourceType.TOPIC, topic);
  }

  public void requireOnCluster(Message<?> message, AclOperation operation) {
    require(message, operation, ResourceType.CLUSTER, Acl.CLUSTER_NAME);
  }

  private static ApiException refused(Caller caller, AclOperation operation, ResourceType type, String name) {
    String text = caller.principal() + " is not allowed to " + operation
        + " " + type.name().toLowerCase(java.util.Locale.ROOT) + " '" + name + "'";
    return switch (type) {
      case TOPIC -> new TopicAuthorizationException(text);
      case GROUP -> new GroupAuthorizationException(text);
      default -> new ClusterAuthorizationException(text);
    };
  }
}
