package io.brook.kafka;

import io.vertx.core.Future;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * The APIs this listener serves, by key: ApiVersions and those given. A request for any other API, or for
 * a version outside an API's range, is answered {@code UNSUPPORTED_VERSION}; ApiVersions advertises
 * exactly what is here.
 */
public final class KafkaApis {
  private final Map<ApiKeys, KafkaApi> apis = new EnumMap<>(ApiKeys.class);

  public KafkaApis(List<KafkaApi> served) {
    served.forEach(api -> apis.put(api.key(), api));
    apis.put(ApiKeys.API_VERSIONS, new ApiVersionsApi(served));
  }

  Future<AbstractResponse> handle(KafkaRequest request) {
    KafkaApi api = apis.get(request.body().apiKey());
    if (api == null || request.version() < api.minVersion() || request.version() > api.maxVersion()) {
      return KafkaConnection.unsupported(request);
    }
    return api.handle(request);
  }
}
