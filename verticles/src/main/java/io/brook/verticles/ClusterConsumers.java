package io.brook.verticles;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The broker's cluster-wide consumers (not local ones), kept so that they can be registered again
 * with the cluster manager when it lost them ({@link ClusterHealthVerticle}). Each is registered
 * again on the context that first registered it, so its handler keeps running on its owner's
 * thread: a new consumer first, then, once the cluster manager has it, the old one goes.
 *
 * <p>Thread-safe: owners register from their own contexts.
 */
public final class ClusterConsumers {
  private static final long REGISTER_TIMEOUT_MS = 5_000;
  private static final Map<Vertx, Set<Registration<?>>> BY_VERTX = new WeakHashMap<>();

  private ClusterConsumers() {}

  /** One consumer of its owner, whichever {@link MessageConsumer} stands for it now. */
  public static final class Registration<T> {
    private final Vertx vertx;
    private final String address;
    private final Handler<Message<T>> handler;
    private final Context context;
    private volatile MessageConsumer<T> current;
    private volatile boolean unregistered;

    private Registration(Vertx vertx, String address, Handler<Message<T>> handler, Context context) {
      this.vertx = vertx;
      this.address = address;
      this.handler = handler;
      this.context = context;
      this.current = vertx.eventBus().consumer(address, handler);
    }

    public String address() {
      return address;
    }

    /** Completes once the cluster manager has the (first) registration. */
    public Future<Void> completion() {
      return current.completion();
    }

    public Future<Void> unregister() {
      unregistered = true;
      registrations(vertx).remove(this);
      return current.unregister();
    }

    /** On the owner's context: a new consumer, and the old one unregistered once the new one is in. */
    private Future<Void> registerAgain() {
      Promise<Void> done = Promise.promise();
      context.runOnContext(v -> {
        if (unregistered || !current.isRegistered()) {
          registrations(vertx).remove(this); // its owner unregistered it, or was undeployed
          done.complete();
          return;
        }
        MessageConsumer<T> old = current;
        MessageConsumer<T> fresh = vertx.eventBus().consumer(address, handler);
        fresh.completion().timeout(REGISTER_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(registered -> {
          if (registered.succeeded() && !unregistered) {
            current = fresh;
            old.unregister().onComplete(gone -> done.complete());
          } else {
            fresh.unregister(); // the cluster manager is still unreachable: keep the old one, try again later
            done.fail(registered.failed() ? registered.cause() : new IllegalStateException("unregistered meanwhile"));
          }
        });
      });
      return done.future();
    }
  }

  /** {@code vertx.eventBus().consumer(address, handler)}, kept for re-registration; call on the owner's context. */
  public static <T> Registration<T> consumer(Vertx vertx, String address, Handler<Message<T>> handler) {
    Context context = vertx.getOrCreateContext();
    Registration<T> registration = new Registration<>(vertx, address, handler, context);
    registrations(vertx).add(registration);
    return registration;
  }

  /** The addresses of this Vert.x's cluster consumers now. */
  public static List<String> addresses(Vertx vertx) {
    return registrations(vertx).stream().map(Registration::address).distinct().toList();
  }

  /** Registers every cluster consumer of {@code vertx} again; fails if one could not be (it is tried again later). */
  static Future<Void> registerAllAgain(Vertx vertx) {
    List<Future<Void>> all = new ArrayList<>();
    for (Registration<?> registration : List.copyOf(registrations(vertx))) {
      all.add(registration.registerAgain());
    }
    return Future.all(all).mapEmpty();
  }

  private static Set<Registration<?>> registrations(Vertx vertx) {
    synchronized (BY_VERTX) {
      return BY_VERTX.computeIfAbsent(vertx, v -> ConcurrentHashMap.newKeySet());
    }
  }
}
