package io.brook.protocol.message;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Set ({@code set}) and remove ({@code delete}, back to the default) topic config overrides; either
 * may be left out (empty). A null value is refused by the controller (INVALID_CONFIG), a null name here.
 */
public record AlterConfigsRequest(String name, Map<String, String> set, List<String> delete) {
  public AlterConfigsRequest {
    // a null value stays, for the controller to refuse as Kafka does (INVALID_CONFIG)
    set = set == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(set));
    delete = delete == null ? List.of() : List.copyOf(delete);
  }
}
