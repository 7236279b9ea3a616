package io.brook.metadata;

/**
 * A metadata record of a type or version this code does not know: written by a newer Brook, or a
 * corrupt key. The broker must not apply later records past it (it would diverge), so it stops.
 */
public class UnsupportedMetadataRecordException extends MetadataSerdeException {

    public UnsupportedMetadataRecordException(String message) {
        super(message);
    }
}
