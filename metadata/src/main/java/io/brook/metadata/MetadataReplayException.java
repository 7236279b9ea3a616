package io.brook.metadata;

/**
 * A record that does not fit the image it is replayed onto: a change to an unknown topic, a fence
 * with the wrong broker epoch, an offset or epoch that goes backwards. The controller never writes
 * such a record, so it means a bug or a corrupt log. The record is refused whole (the builder is left
 * as it was); a broker replaying the committed log quarantines it and goes on, as every broker does.
 */
public class MetadataReplayException extends IllegalStateException {

    public MetadataReplayException(String message) {
        super(message);
    }

    public MetadataReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
