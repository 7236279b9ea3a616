package io.brook.protocol.message;

import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Which ACLs to list or delete (Kafka's {@link AclBindingFilter}): the fields of an {@link AclEntry},
 * each left out (null) for any value; {@code patternType} may also be MATCH (the ACLs that apply to
 * the named resource: literal, wildcard and prefixes) or ANY.
 */
public record AclFilter(String resourceType, String resourceName, String patternType, String principal, String host,
                        String operation, String permission) {
  public static final AclFilter ANY = new AclFilter(null, null, null, null, null, null, null);

  public AclBindingFilter toFilter() {
    return new AclBindingFilter(
        new ResourcePatternFilter(anyIfNull(resourceType, ResourceType::fromString, ResourceType.ANY,
            ResourceType.UNKNOWN), resourceName,
            anyIfNull(patternType, PatternType::fromString, PatternType.ANY, PatternType.UNKNOWN)),
        new AccessControlEntryFilter(principal, host,
            anyIfNull(operation, AclOperation::fromString, AclOperation.ANY, AclOperation.UNKNOWN),
            anyIfNull(permission, AclPermissionType::fromString, AclPermissionType.ANY, AclPermissionType.UNKNOWN)));
  }

  /** Left out: any; not a word kafka-clients knows: UNKNOWN, which makes the filter refused. */
  private static <T> T anyIfNull(String text, java.util.function.Function<String, T> parse, T any, T unknown) {
    return text == null ? any : AclEntry.word(text, parse, unknown);
  }
}
