package io.brook.metadata;

/**
 * A record that does not fit the image it is replayed onto: a change to an unknown topic, a fence
 * with the wrong broker epoch, an offset or epoch that goes backwards. The controller never writes
 * such a record, so it means a bug or a corrupt log, and replay stops rather than diverge.
 */
public class MetadataReplayException extends IllegalStateException {

    public MetadataReplayException(String message) {
        super(message);
    }

    public MetadataReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
