package io.brook.metadata;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One ACL binding, Kafka's model with the vocabulary of kafka-clients ({@link AclBinding}):
 * {@code permission} (ALLOW or DENY) for {@code principal} ({@code User:name} or {@code User:*})
 * connecting from {@code host} ({@code *} or an exact host) to perform {@code operation} on the
 * resources of {@code resourceType} named by {@code resourceName} under {@code patternType}:
 * LITERAL (that name exactly; {@code *} is every resource of the type) or PREFIXED (every name that
 * starts with it).
 *
 * <p>Only what Brook checks is accepted: resource types TOPIC, GROUP, CLUSTER (whose one resource is
 * named {@value #CLUSTER_NAME}, literally); operations ALL, READ, WRITE, CREATE, DELETE, ALTER,
 * DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS; no filter values (ANY, MATCH, UNKNOWN). A new value
 * is a new record version. A value, not a metadata record: {@link CreateAcl} and {@link RemoveAcl}
 * carry it. What an ACL allows is decided by the authorizer ({@code io.brook.security.Authorizer}).
 */
public record Acl(ResourceType resourceType, String resourceName, PatternType patternType, String principal,
                  String host, AclOperation operation, AclPermissionType permission) {

    /** The name of the one CLUSTER resource (Kafka's {@code Resource.CLUSTER_NAME}). */
    public static final String CLUSTER_NAME = "kafka-cluster";
    /** The literal resource name that stands for every resource of its type. */
    public static final String WILDCARD_RESOURCE = ResourcePattern.WILDCARD_RESOURCE;
    /** The host that stands for every host. */
    public static final String WILDCARD_HOST = "*";
    /** Longest resource name or host. */
    public static final int MAX_NAME_LENGTH = 1024;

    public static final Set<ResourceType> RESOURCE_TYPES =
        Set.copyOf(EnumSet.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.CLUSTER));
    public static final Set<PatternType> PATTERN_TYPES = Set.copyOf(EnumSet.of(PatternType.LITERAL, PatternType.PREFIXED));
    public static final Set<AclOperation> OPERATIONS = Set.copyOf(EnumSet.of(AclOperation.ALL, AclOperation.READ,
        AclOperation.WRITE, AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE,
        AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS));
    public static final Set<AclPermissionType> PERMISSIONS =
        Set.copyOf(EnumSet.of(AclPermissionType.ALLOW, AclPermissionType.DENY));

    /** The listing order: resource type, name, pattern type, principal, host, operation, permission. */
    public static final Comparator<Acl> ORDER = Comparator.comparing(Acl::resourceType)
        .thenComparing(Acl::resourceName).thenComparing(Acl::patternType).thenComparing(Acl::principal)
        .thenComparing(Acl::host).thenComparing(Acl::operation).thenComparing(Acl::permission);

    public Acl {
        String problem = problem(resourceType, resourceName, patternType, principal, host, operation, permission);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The ACL of kafka-clients' {@code binding}; IllegalArgumentException if Brook cannot hold it. */
    public static Acl of(AclBinding binding) {
        Objects.requireNonNull(binding, "binding");
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        return new Acl(pattern.resourceType(), pattern.name(), pattern.patternType(), entry.principal(),
            entry.host(), entry.operation(), entry.permissionType());
    }

    /** This ACL as kafka-clients' binding (for its filters and, later, the Kafka protocol). */
    public AclBinding toBinding() {
        return new AclBinding(new ResourcePattern(resourceType, resourceName, patternType),
            new AccessControlEntry(principal, host, operation, permission));
    }

    /** Why these values do not make an ACL Brook can hold, or null if they do. */
    public static String problem(ResourceType resourceType, String resourceName, PatternType patternType,
                                 String principal, String host, AclOperation operation,
                                 AclPermissionType permission) {
        if (!RESOURCE_TYPES.contains(resourceType)) {
            return "Invalid resourceType " + resourceType + ": must be one of TOPIC, GROUP, CLUSTER";
        }
        if (!PATTERN_TYPES.contains(patternType)) {
            return "Invalid patternType " + patternType + ": must be LITERAL or PREFIXED";
        }
        if (!OPERATIONS.contains(operation)) {
            return "Invalid operation " + operation + ": must be one of " + OPERATIONS.stream().sorted().toList();
        }
        if (!PERMISSIONS.contains(permission)) {
            return "Invalid permissionType " + permission + ": must be ALLOW or DENY";
        }
        if (resourceName == null || resourceName.isEmpty()) {
            return "Resource name should not be empty";
        }
        if (resourceName.length() > MAX_NAME_LENGTH || resourceName.chars().anyMatch(Character::isISOControl)) {
            return "Resource name must be at most " + MAX_NAME_LENGTH + " characters with no control characters";
        }
        if (resourceType == ResourceType.CLUSTER
                && (!resourceName.equals(CLUSTER_NAME) || patternType != PatternType.LITERAL)) {
            return "The only valid name for the CLUSTER resource is " + CLUSTER_NAME + " (LITERAL)";
        }
        if (patternType == PatternType.PREFIXED && resourceName.equals(WILDCARD_RESOURCE)) {
            return "A PREFIXED '*' would match only names starting with '*': use LITERAL '*' for every resource";
        }
        String principalProblem = UserNames.principalProblem(principal);
        if (principalProblem != null) {
            return principalProblem;
        }
        if (host == null || host.isEmpty() || host.length() > MAX_NAME_LENGTH
                || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return "host must be * or a host name or address, was '" + host + "'";
        }
        return null;
    }
}
