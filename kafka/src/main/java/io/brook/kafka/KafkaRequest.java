package io.brook.kafka;

import io.brook.protocol.Caller;
import io.vertx.core.eventbus.DeliveryOptions;
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

  /** The listener the client came through: its security protocol's name (PLAINTEXT, SASL_SSL, ...). */
  public String listenerName() {
    return context.listenerName.value();
  }

  /** Whether the response may hold file regions (see {@link KafkaConnection#sendsFileRegions}). */
  public boolean sendsFileRegions() {
    return connection != null && connection.sendsFileRegions();
  }

  /**
   * Options for the event bus requests made on the client's behalf: who it is and where it connected
   * from, so that the broker verticles check it against the ACLs as any client (a request without a
   * principal would pass as a cluster member's).
   */
  public DeliveryOptions onBehalfOfClient(long timeoutMs) {
    return caller().addTo(new DeliveryOptions().setSendTimeout(timeoutMs));
  }

  /** The client, for the ACL checks: its principal and the address it connected from. */
  public Caller caller() {
    return new Caller(context.principal.toString(), context.clientAddress.getHostAddress());
  }
}
