package io.brook.storage.internals;

/**
 * An index file failed its sanity check (size not a multiple of the entry size, entries not
 * increasing, an entry pointing past the log). The index is derived data: the owner rebuilds it
 * from the log rather than failing.
 */
public final class CorruptIndexException extends RuntimeException {

    public CorruptIndexException(String message) {
        super(message);
    }
}
