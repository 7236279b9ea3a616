package io.brook.storage.internals;

import org.apache.kafka.common.errors.CorruptRecordException;

/**
 * A read (or truncation) reached offsets of a {@link CorruptUnit}. The partition log turns it into
 * its public exception, which names the partition and the offset range.
 */
public final class CorruptUnitException extends CorruptRecordException {

    private final transient CorruptUnit unit;

    public CorruptUnitException(CorruptUnit unit) {
        super("Offsets [" + unit.firstOffset() + ", " + unit.lastOffset() + "] are corrupt (" + unit.sizeInBytes()
            + " bytes at position " + unit.position() + "): " + unit.reason());
        this.unit = unit;
    }

    public CorruptUnit unit() {
        return unit;
    }
}
