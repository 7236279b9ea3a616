package io.brook.protocol;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Who a client request is made for: the principal a listener authenticated ({@code User:name}, or
 * {@code User:ANONYMOUS}) and the address the client connected from, for host-specific ACLs. On the
 * event bus it travels as {@link Addresses#PRINCIPAL_HEADER} and {@link Addresses#CLIENT_HOST_HEADER};
 * a request without a principal comes from a cluster member ({@link #MEMBER}) and is not checked
 * against ACLs.
 */
public record Caller(String principal, String host) {
  public static final Caller MEMBER = new Caller(null, null);

  /** The caller named by a message's headers. */
  public static Caller of(MultiMap headers) {
    String principal = headers.get(Addresses.PRINCIPAL_HEADER);
    return principal == null ? MEMBER : new Caller(principal, headers.get(Addresses.CLIENT_HOST_HEADER));
  }

  public boolean isMember() {
    return principal == null;
  }

  /** Adds the caller's headers to {@code options} (none for a cluster member). */
  public DeliveryOptions addTo(DeliveryOptions options) {
    if (principal != null) {
      options.addHeader(Addresses.PRINCIPAL_HEADER, principal);
      options.addHeader(Addresses.CLIENT_HOST_HEADER, host == null ? "" : host);
    }
    return options;
  }
}
