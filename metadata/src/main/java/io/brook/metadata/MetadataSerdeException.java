package io.brook.metadata;

/**
 * A metadata record that cannot be read: malformed JSON, a missing or ill-typed field, a value its
 * record refuses. A broker replaying the log quarantines such a record: it passes over it and reports its offset.
 */
public class MetadataSerdeException extends RuntimeException {

    public MetadataSerdeException(String message) {
        super(message);
    }

    public MetadataSerdeException(String message, Throwable cause) {
        super(message, cause);
    }
}
