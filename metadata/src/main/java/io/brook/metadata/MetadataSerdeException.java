package io.brook.metadata;

/**
 * A metadata record that cannot be read: malformed JSON, a missing or ill-typed field, a value its
 * record refuses. The metadata log is the cluster's truth, so such a record is never skipped.
 */
public class MetadataSerdeException extends RuntimeException {

    public MetadataSerdeException(String message) {
        super(message);
    }

    public MetadataSerdeException(String message, Throwable cause) {
        super(message, cause);
    }
}
