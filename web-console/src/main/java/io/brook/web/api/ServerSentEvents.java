package io.brook.web.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;

/**
 * One Server-Sent Events stream ({@code text/event-stream}) to a browser's EventSource: events are
 * {@code event: NAME} plus one {@code data:} line of JSON (JSON text has no raw newline), and a
 * comment line every {@link #HEARTBEAT_MS} keeps proxies and the idle timeout from closing a quiet
 * stream.
 *
 * <p>Limits: at most {@code http.max.event.streams} streams are open per node (all HTTP verticle
 * instances together); {@link #reserve} refuses one more with 429 THROTTLING_QUOTA_EXCEEDED before
 * any byte is written. Backpressure: {@link #send} writes only while the connection's write queue
 * is below its high-water mark and answers false otherwise, so the caller skips or merges what it
 * could not send; nothing is buffered without bound for a slow browser. When the client goes away
 * (or the stream is {@link #close}d) the heartbeat stops, the slot is given back and the
 * {@link #onClose} actions run, once. Owned by the event loop of the request's verticle.
 */
public final class ServerSentEvents {
  public static final long HEARTBEAT_MS = 15_000;

  /** The node's open streams, shared by its HTTP verticle instances. */
  private static final class Slots implements Shareable {
    final AtomicInteger open = new AtomicInteger();
  }

  private final Vertx vertx;
  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final Slots slots;
  private final List<Runnable> onClose = new ArrayList<>();
  private long heartbeatTimer = -1;
  private boolean closed;

  private ServerSentEvents(RoutingContext ctx, Slots slots) {
    this.vertx = ctx.vertx();
    this.ctx = ctx;
    this.response = ctx.response();
    this.slots = slots;
  }

  /**
   * Takes one of the node's stream slots for this request; THROTTLING_QUOTA_EXCEEDED when all are
   * taken. The slot is held until the stream closes (or {@link #release} if it is never started).
   */
  public static ServerSentEvents reserve(RoutingContext ctx, int maxStreams) {
    LocalMap<String, Slots> map = ctx.vertx().sharedData().getLocalMap("brook.http.event-streams");
    Slots fresh = new Slots();
    Slots known = map.putIfAbsent("slots", fresh);
    Slots slots = known == null ? fresh : known;
    if (slots.open.incrementAndGet() > maxStreams) {
      slots.open.decrementAndGet();
      throw new ThrottlingQuotaExceededException(maxStreams + " event streams are open on this node"
          + " (http.max.event.streams); close one or retry later");
    }
    return new ServerSentEvents(ctx, slots);
  }

  /** Gives the slot back when the stream could not start (its opening checks failed). */
  public void release() {
    if (!closed) {
      closed = true;
      slots.open.decrementAndGet();
    }
  }

  /** Writes the headers and starts the heartbeat; the client went away already: closes at once. */
  public void start() {
    // the context's end handlers run when the response ends or its connection closes (the router's own
    // handlers on the response stay in place)
    ctx.addEndHandler(done -> close());
    if (response.closed()) {
      close();
      return;
    }
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        // identity: the HTTP server's compression would hold events back to fill its buffers
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
        .putHeader("X-Accel-Buffering", "no");
    response.write(": open\n\n");
    heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> {
      if (!closed && !response.writeQueueFull()) {
        response.write(": heartbeat\n\n");
      }
    });
  }

  /** Sends one event; false when it was not sent (the client is slow, or gone). */
  public boolean send(String event, JsonObject data) {
    if (closed || response.writeQueueFull()) {
      return false;
    }
    response.write(Buffer.buffer("event: " + event + "\ndata: ").appendBuffer(data.toBuffer()).appendString("\n\n"));
    return true;
  }

  /** Whether an event sent now would be written (the client keeps up). */
  public boolean writable() {
    return !closed && !response.writeQueueFull();
  }

  public boolean isClosed() {
    return closed;
  }

  /** Runs {@code action} when the stream closes (at once if it has). */
  public void onClose(Runnable action) {
    if (closed) {
      action.run();
    } else {
      onClose.add(action);
    }
  }

  /** Ends the stream (the client's EventSource will reconnect unless it closes itself). */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    slots.open.decrementAndGet();
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    if (!response.closed() && !response.ended()) {
      response.end();
    }
    onClose.forEach(Runnable::run);
    onClose.clear();
  }
}
