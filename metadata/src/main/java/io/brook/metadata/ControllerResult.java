package io.brook.metadata;

import java.util.List;

/**
 * What a controller request produced: the records to append to the metadata log (possibly none)
 * and the response to send once they are committed. Nothing in the controller has changed yet; it
 * changes when the records are {@linkplain ControllerState#replay replayed}.
 *
 * @param <T> the response type ({@code Void} with a null response for requests that answer nothing)
 */
public record ControllerResult<T>(List<MetadataRecord> records, T response) {

    public ControllerResult {
        records = List.copyOf(records);
    }

    public static <T> ControllerResult<T> of(List<? extends MetadataRecord> records, T response) {
        return new ControllerResult<>(List.copyOf(records), response);
    }

    /** A result that appends nothing and can be answered at once. */
    public static <T> ControllerResult<T> empty(T response) {
        return new ControllerResult<>(List.of(), response);
    }
}
