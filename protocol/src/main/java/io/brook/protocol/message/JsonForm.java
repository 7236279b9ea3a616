package io.brook.protocol.message;

import io.vertx.core.json.JsonObject;

/**
 * A message with a hand-written JSON form, used where the binary codec carries raw bytes (record
 * batches): bridge clients and the HTTP API see bytes as base64 and records decoded.
 */
public interface JsonForm {
  JsonObject toJson();
}
