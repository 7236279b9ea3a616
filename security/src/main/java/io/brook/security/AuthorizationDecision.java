package io.brook.security;

import io.brook.metadata.Acl;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.acl.AclPermissionType;

/**
 * What the {@link Authorizer} decided and why: for an audit line or an error message that tells the
 * operator which ACL (or the lack of one) refused a request.
 *
 * @param acl the ACL that decided, for {@link Reason#ALLOW_ACL} and {@link Reason#DENY_ACL}
 */
public record AuthorizationDecision(boolean allowed, Reason reason, Optional<Acl> acl) {

    /** Why a request was allowed or denied. */
    public enum Reason {
        /** The principal is in {@code super.users}. */
        SUPER_USER,
        /** A DENY ACL matches: it wins over every ALLOW. */
        DENY_ACL,
        /** An ALLOW ACL matches (directly, by ALL, or by an operation that implies this one) and no DENY does. */
        ALLOW_ACL,
        /** ACLs exist for the resource but none allows this principal, host and operation. */
        NO_MATCHING_ALLOW,
        /** No ACL matches the resource at all; {@code allow.everyone.if.no.acl.found} decided. */
        NO_ACL_FOUND
    }

    public AuthorizationDecision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(acl, "acl");
    }

    static AuthorizationDecision of(boolean allowed, Reason reason) {
        return new AuthorizationDecision(allowed, reason, Optional.empty());
    }

    static AuthorizationDecision byAcl(Acl acl) {
        boolean allowed = acl.permission() == AclPermissionType.ALLOW;
        return new AuthorizationDecision(allowed, allowed ? Reason.ALLOW_ACL : Reason.DENY_ACL, Optional.of(acl));
    }
}
