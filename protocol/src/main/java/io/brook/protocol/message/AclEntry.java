package io.brook.protocol.message;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One ACL on the wire, Kafka's model in Kafka's words: {@code permission} (ALLOW, DENY) for
 * {@code principal} ({@code User:name}, {@code User:*}) from {@code host} ({@code *} or an address) to
 * perform {@code operation} on the {@code resourceType} (TOPIC, GROUP, CLUSTER) resources named
 * {@code resourceName} under {@code patternType} (LITERAL, PREFIXED). Left out: host {@code *},
 * pattern LITERAL, permission ALLOW. Unknown words become kafka-clients' UNKNOWN, which the
 * controller refuses with INVALID_REQUEST and the reason.
 */
public record AclEntry(String resourceType, String resourceName, String patternType, String principal, String host,
                       String operation, String permission) {
  public AclEntry {
    host = host == null ? "*" : host;
    patternType = patternType == null ? PatternType.LITERAL.name() : patternType;
    permission = permission == null ? AclPermissionType.ALLOW.name() : permission;
  }

  public static AclEntry of(AclBinding binding) {
    return new AclEntry(binding.pattern().resourceType().name(), binding.pattern().name(),
        binding.pattern().patternType().name(), binding.entry().principal(), binding.entry().host(),
        binding.entry().operation().name(), binding.entry().permissionType().name());
  }

  /** kafka-clients' binding; a missing name or principal stays null for the controller to refuse. */
  public AclBinding toBinding() {
    return new AclBinding(new ResourcePattern(word(resourceType, ResourceType::fromString, ResourceType.UNKNOWN),
        resourceName == null ? "" : resourceName, word(patternType, PatternType::fromString, PatternType.UNKNOWN)),
        new AccessControlEntry(principal == null ? "" : principal, host,
            word(operation, AclOperation::fromString, AclOperation.UNKNOWN),
            word(permission, AclPermissionType::fromString, AclPermissionType.UNKNOWN)));
  }

  static <T> T word(String text, java.util.function.Function<String, T> parse, T unknown) {
    if (text == null) {
      return unknown;
    }
    try {
      return parse.apply(text.trim());
    } catch (IllegalArgumentException e) {
      return unknown;
    }
  }
}
