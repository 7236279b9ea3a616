package io.brook.kafka;

import io.vertx.core.Future;
import java.util.function.Function;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * One Kafka API this listener serves, with the versions it serves: ApiVersions advertises exactly these,
 * and a request outside them is answered {@code UNSUPPORTED_VERSION}. A null response means "send nothing"
 * (Produce with acks=0).
 */
public interface KafkaApi {
  ApiKeys key();

  /** Every version kafka-clients knows, unless the API says otherwise. */
  default short minVersion() {
    return key().oldestVersion();
  }

  default short maxVersion() {
    return key().latestVersion();
  }

  Future<AbstractResponse> handle(KafkaRequest request);

  /** An API answered by {@code handler}, at every version kafka-clients knows. */
  static KafkaApi of(ApiKeys key, Function<KafkaRequest, Future<AbstractResponse>> handler) {
    return of(key, key.latestVersion(), handler);
  }

  /** An API answered by {@code handler}, up to {@code maxVersion}. */
  static KafkaApi of(ApiKeys key, short maxVersion, Function<KafkaRequest, Future<AbstractResponse>> handler) {
    return new Served(key, maxVersion, handler);
  }

  /** What {@link #of} makes. */
  record Served(ApiKeys key, short maxVersion, Function<KafkaRequest, Future<AbstractResponse>> handler)
      implements KafkaApi {
    @Override
    public Future<AbstractResponse> handle(KafkaRequest request) {
      return handler.apply(request);
    }
  }
}
