package io.brook.storage.internals;

import java.io.IOException;

/**
 * An append failed and the segment could not be cut back to its previous size, so its file may
 * hold a partial batch. The owner must stop using the log (take it offline) until it is reopened,
 * which recovers it.
 */
public final class SegmentRollbackFailedException extends IOException {

    public SegmentRollbackFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
