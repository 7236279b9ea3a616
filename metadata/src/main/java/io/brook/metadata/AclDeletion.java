package io.brook.metadata;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.requests.ApiError;

/**
 * The answer to one filter of a delete-ACLs request (Kafka's {@code DeleteAclsFilterResult}): the
 * ACLs it removed, or the error that refused the filter (then nothing was removed for it).
 */
public record AclDeletion(ApiError error, List<Acl> deleted) {

    public AclDeletion {
        Objects.requireNonNull(error, "error");
        deleted = List.copyOf(deleted);
    }

    static AclDeletion failed(ApiError error) {
        return new AclDeletion(error, List.of());
    }
}
