package io.brook.metadata;

import java.util.Objects;

/**
 * ACL {@code acl} is removed. An ACL is identified by its whole content (two equal bindings are
 * one ACL), so the record names it in full; replay refuses one that is not there.
 */
public record RemoveAcl(Acl acl) implements MetadataRecord {

    public RemoveAcl {
        Objects.requireNonNull(acl, "acl");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.REMOVE_ACL;
    }
}
