package io.brook.security;

import io.brook.metadata.Acl;
import io.brook.metadata.AclImage;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.UserNames;
import io.brook.security.AuthorizationDecision.Reason;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Decides whether a principal may perform an operation on a resource, over the ACLs of a
 * {@link MetadataImage}, with the semantics of Kafka's {@code StandardAuthorizer}:
 *
 * <ol>
 *   <li>A principal in {@code super.users} may do anything.</li>
 *   <li>The ACLs considered are those whose resource pattern matches the resource: LITERAL with the
 *       resource's name or {@code *}, PREFIXED with a prefix of the name (of the same resource type).</li>
 *   <li>Of those, an ACL applies when its principal is the requester's or {@code User:*}, its host
 *       the requester's or {@code *}, and its operation matches: ALL matches every operation; an
 *       ALLOW of READ, WRITE, DELETE or ALTER also allows DESCRIBE, an ALLOW of ALTER_CONFIGS also
 *       DESCRIBE_CONFIGS (Kafka's implied operations; a DENY implies nothing: DENY READ does not deny
 *       DESCRIBE).</li>
 *   <li>Any applying DENY refuses, whatever ALLOWs apply; otherwise any applying ALLOW allows.</li>
 *   <li>No ACL at all for the resource (step 2 found none, for any principal or operation): allowed
 *       only if {@code allow.everyone.if.no.acl.found}; some ACLs but none applying: refused.</li>
 * </ol>
 *
 * <p>Cost: one index lookup per literal bucket and per distinct prefix length (see
 * {@link AclImage}), then a walk over the ACLs of the matching patterns only; independent of the
 * total number of ACLs. Immutable and thread-safe: verticles may share one; after an image change,
 * {@link #withAcls} gives the next (the same instance when the ACLs did not change).
 */
public final class Authorizer {

    /** The ALLOW operations that also allow DESCRIBE (Kafka's {@code IMPLIES_DESCRIBE}). */
    static final Set<AclOperation> IMPLIES_DESCRIBE = Set.copyOf(EnumSet.of(AclOperation.DESCRIBE,
        AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER));
    /** The ALLOW operations that also allow DESCRIBE_CONFIGS (Kafka's {@code IMPLIES_DESCRIBE_CONFIGS}). */
    static final Set<AclOperation> IMPLIES_DESCRIBE_CONFIGS =
        Set.copyOf(EnumSet.of(AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS));

    private final Set<String> superUsers;
    private final boolean allowEveryoneIfNoAclFound;
    private final AclImage acls;

    private Authorizer(Set<String> superUsers, boolean allowEveryoneIfNoAclFound, AclImage acls) {
        this.superUsers = Set.copyOf(superUsers);
        this.allowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound;
        this.acls = Objects.requireNonNull(acls, "acls");
    }

    /** An authorizer with {@code config} over the ACLs of {@code image}. */
    public static Authorizer of(AuthorizerConfig config, MetadataImage image) {
        return new Authorizer(config.superUsers(), config.allowEveryoneIfNoAclFound(), image.acls());
    }

    /** An authorizer with {@code config} over {@code acls}. */
    public static Authorizer of(AuthorizerConfig config, AclImage acls) {
        return new Authorizer(config.superUsers(), config.allowEveryoneIfNoAclFound(), acls);
    }

    /** This authorizer over {@code newAcls}: itself if they are the same instance (no ACL changed). */
    public Authorizer withAcls(AclImage newAcls) {
        return newAcls == acls ? this : new Authorizer(superUsers, allowEveryoneIfNoAclFound, newAcls);
    }

    public AclImage acls() {
        return acls;
    }

    /** True if {@code principal} ({@code User:name}) from {@code host} may perform {@code operation} on the resource. */
    public boolean authorize(String principal, String host, AclOperation operation, ResourceType resourceType,
                             String resourceName) {
        return decide(principal, host, operation, resourceType, resourceName).allowed();
    }

    /** The same, for kafka-clients' principal type. */
    public boolean authorize(KafkaPrincipal principal, String host, AclOperation operation, ResourceType resourceType,
                             String resourceName) {
        Objects.requireNonNull(principal, "principal");
        return authorize(principal.getPrincipalType() + ":" + principal.getName(), host, operation, resourceType,
            resourceName);
    }

    /**
     * The decision with its reason (see the class comment for the rules).
     *
     * @param host the requester's host or address; null if unknown (then only {@code *} ACLs apply)
     * @throws IllegalArgumentException for an operation or resource type no request performs
     *     (ALL, ANY, UNKNOWN, or one Brook does not check)
     */
    public AuthorizationDecision decide(String principal, String host, AclOperation operation,
                                        ResourceType resourceType, String resourceName) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(resourceName, "resourceName");
        if (operation == AclOperation.ALL || !Acl.OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("not an operation a request performs: " + operation);
        }
        if (!Acl.RESOURCE_TYPES.contains(resourceType)) {
            throw new IllegalArgumentException("not a resource type Brook checks: " + resourceType);
        }
        if (superUsers.contains(principal)) {
            return AuthorizationDecision.of(true, Reason.SUPER_USER);
        }
        Walk walk = new Walk(principal, host, operation);
        acls.forEachMatching(resourceType, resourceName, walk);
        if (walk.deny != null) {
            return AuthorizationDecision.byAcl(walk.deny);
        }
        if (walk.allow != null) {
            return AuthorizationDecision.byAcl(walk.allow);
        }
        if (!walk.foundAny) {
            return AuthorizationDecision.of(allowEveryoneIfNoAclFound, Reason.NO_ACL_FOUND);
        }
        return AuthorizationDecision.of(false, Reason.NO_MATCHING_ALLOW);
    }

    /** True if {@code acl} (already matching the resource) applies to this principal, host and operation. */
    static boolean applies(Acl acl, String principal, String host, AclOperation operation) {
        if (!acl.principal().equals(principal) && !acl.principal().equals(UserNames.WILDCARD_PRINCIPAL)) {
            return false;
        }
        if (!acl.host().equals(Acl.WILDCARD_HOST) && !acl.host().equals(host)) {
            return false;
        }
        return operationMatches(acl, operation);
    }

    /** Kafka's operation rule: ALL matches all; an ALLOW implies DESCRIBE / DESCRIBE_CONFIGS; a DENY implies nothing. */
    static boolean operationMatches(Acl acl, AclOperation operation) {
        if (acl.operation() == AclOperation.ALL || acl.operation() == operation) {
            return true;
        }
        if (acl.permission() != AclPermissionType.ALLOW) {
            return false;
        }
        return switch (operation) {
            case DESCRIBE -> IMPLIES_DESCRIBE.contains(acl.operation());
            case DESCRIBE_CONFIGS -> IMPLIES_DESCRIBE_CONFIGS.contains(acl.operation());
            default -> false;
        };
    }

    @Override
    public String toString() {
        return "Authorizer(superUsers=" + superUsers + ", allowEveryoneIfNoAclFound=" + allowEveryoneIfNoAclFound
            + ", " + acls + ")";
    }

    /** One walk over the ACLs of the resource's patterns; stops at the first applying DENY. */
    private static final class Walk implements Predicate<Acl> {
        final String principal;
        final String host;
        final AclOperation operation;
        boolean foundAny;
        Acl allow;
        Acl deny;

        Walk(String principal, String host, AclOperation operation) {
            this.principal = principal;
            this.host = host;
            this.operation = operation;
        }

        @Override
        public boolean test(Acl acl) {
            foundAny = true;
            if (!applies(acl, principal, host, operation)) {
                return true;
            }
            if (acl.permission() == AclPermissionType.DENY) {
                deny = acl;
                return false;
            }
            if (allow == null) {
                allow = acl;
            }
            return true;
        }
    }
}
