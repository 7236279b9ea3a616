package io.brook.kafka;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestContext;

/**
 * One decoded Kafka request: its context (header, client address, principal, listener) and body.
 * {@link #version()} is the version to answer with: 0 for an ApiVersions request of a version this
 * broker does not know (KIP-511: the client then retries with one from the key list).
 */
public record KafkaRequest(RequestContext context, AbstractRequest body, KafkaConnection connection) {
  public short version() {
    return context.apiVersion();
  }
}
