package io.brook.protocol.codec;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.brook.protocol.message.JsonForm;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * JSON mapping of message records (Jackson databind). Byte arrays are base64url strings. Unknown fields are ignored so that an older
 * broker accepts a newer client's body; missing fields take Java defaults and are validated by the
 * handler.
 */
public final class BrookJson {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
      .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
      // bytes as Vert.x's JsonObject writes them (base64url, no padding), padding accepted when read
      .setBase64Variant(Base64Variants.MODIFIED_FOR_URL.withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED));

  private BrookJson() {}

  /** A message record as a Vert.x JSON object. */
  public static JsonObject toJson(Object message) {
    if (message instanceof JsonForm form) {
      return form.toJson();
    }
    if (message instanceof JsonObject json) {
      return json;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = MAPPER.convertValue(message, Map.class);
    return new JsonObject(map);
  }

  /** A JSON object as a message record; {@link InvalidRequestException} when it does not fit. */
  public static <T> T fromJson(JsonObject json, Class<T> type) {
    // through the JSON text: a bridged body nests Vert.x JsonObject/JsonArray values, which
    // Jackson would otherwise read as beans
    return decode(json.toBuffer().getBytes(), type);
  }

  static byte[] encode(Object message) {
    try {
      return MAPPER.writeValueAsBytes(message);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  static <T> T decode(byte[] bytes, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new InvalidRequestException("malformed " + type.getSimpleName() + " body: " + e.getMessage());
    }
  }
}
