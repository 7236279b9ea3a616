package io.brook.protocol.message;

import java.util.List;
import java.util.Map;

/** Set ({@code set}) and remove ({@code delete}, back to the default) topic config overrides. */
public record AlterConfigsRequest(String name, Map<String, String> set, List<String> delete) {}
