package io.brook.metadata;

import java.util.Objects;

/** ACL {@code acl} is added. Replay refuses one that is already there (the controller never writes it). */
public record CreateAcl(Acl acl) implements MetadataRecord {

    public CreateAcl {
        Objects.requireNonNull(acl, "acl");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.CREATE_ACL;
    }
}
