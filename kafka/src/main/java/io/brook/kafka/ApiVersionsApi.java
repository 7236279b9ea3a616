package io.brook.kafka;

import io.vertx.core.Future;
import java.util.Collection;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.network.ClientInformation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;

/**
 * ApiVersions: the APIs and versions this listener serves, no more (KIP-35). A version it does not
 * know is answered at v0 with {@code UNSUPPORTED_VERSION} and the key list (KIP-511); the client's
 * software name and version (v3+) are kept on the connection.
 */
final class ApiVersionsApi implements KafkaApi {
  private final ApiVersionCollection advertised;

  ApiVersionsApi(Collection<KafkaApi> served) {
    ApiVersionCollection versions = new ApiVersionCollection();
    versions.add(new ApiVersion().setApiKey(key().id).setMinVersion(minVersion()).setMaxVersion(maxVersion()));
    for (KafkaApi api : served) {
      versions.add(new ApiVersion().setApiKey(api.key().id).setMinVersion(api.minVersion()).setMaxVersion(api.maxVersion()));
    }
    this.advertised = versions;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.API_VERSIONS;
  }


  @Override
  public Future<AbstractResponse> handle(KafkaRequest request) {
    ApiVersionsRequest body = (ApiVersionsRequest) request.body();
    ApiVersionsResponseData data = new ApiVersionsResponseData().setApiKeys(advertised.duplicate());
    if (body.hasUnsupportedRequestVersion()) {
      data.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
    } else if (!body.isValid()) {
      return Future.succeededFuture(body.getErrorResponse(0, Errors.INVALID_REQUEST.exception()));
    } else {
      if (body.version() >= 3) {
        request.connection().clientInformation(new ClientInformation(
            body.data().clientSoftwareName(), body.data().clientSoftwareVersion()));
      }
      data.setErrorCode(Errors.NONE.code());
    }
    return Future.succeededFuture(new ApiVersionsResponse(data));
  }
}
