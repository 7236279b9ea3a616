package io.brook.client;

import io.brook.client.internals.BrookAdminImpl;
import io.brook.client.internals.BrookConsumerImpl;
import io.brook.client.internals.BrookProducerImpl;
import io.brook.protocol.codec.BrookCodecs;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Creates Brook clients on a Vert.x instance: a clustered one that has joined the brokers, or any
 * Vert.x whose event bus reaches them. Each factory validates its configuration
 * ({@link org.apache.kafka.common.config.ConfigException} on a bad key value), registers Brook's
 * message codecs on the event bus, and binds the client to a Vert.x context on which it works (the
 * caller's context when called from one). Futures complete on the context of whoever called the
 * method (as Vert.x's own clients do), or on the client's context for callers without one.
 * Closing a client never closes the Vert.x.
 */
public final class BrookClients {
  private BrookClients() {}

  /** Keys: {@link AdminConfigs}. */
  public static BrookAdmin admin(Vertx vertx, Map<String, ?> config) {
    AdminConfigs configs = new AdminConfigs(config);
    BrookCodecs.register(vertx.eventBus());
    return new BrookAdminImpl(vertx, configs);
  }

  /** Keys: {@link ProducerConfigs}. */
  public static BrookProducer producer(Vertx vertx, Map<String, ?> config) {
    ProducerConfigs configs = new ProducerConfigs(config);
    BrookCodecs.register(vertx.eventBus());
    return new BrookProducerImpl(vertx, configs);
  }

  /** Keys: {@link ConsumerConfigs}. */
  public static BrookConsumer consumer(Vertx vertx, Map<String, ?> config) {
    ConsumerConfigs configs = new ConsumerConfigs(config);
    BrookCodecs.register(vertx.eventBus());
    return new BrookConsumerImpl(vertx, configs);
  }

  /**
   * A consumer whose every request carries these event bus headers: for a listener of the cluster
   * acting for a caller it authenticated (the HTTP API's group consumers), so that brokers check
   * that caller's ACLs ({@code brook-principal}, {@code brook-client-host}; docs/PROTOCOL.md).
   */
  public static BrookConsumer consumer(Vertx vertx, Map<String, ?> config, Map<String, String> requestHeaders) {
    ConsumerConfigs configs = new ConsumerConfigs(config);
    BrookCodecs.register(vertx.eventBus());
    return new BrookConsumerImpl(vertx, configs, requestHeaders);
  }
}
