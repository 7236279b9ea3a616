package io.brook.kafka;

import io.vertx.core.Future;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger.Level;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.network.ClientInformation;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestAndSize;
import org.apache.kafka.common.requests.RequestContext;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * One Kafka client connection: int32-sized frames (the size checked against
 * {@code socket.request.max.bytes} before any of the frame is buffered), requests decoded with
 * kafka-clients' generated classes, handled concurrently, and answered in the order they came, as Kafka
 * guarantees (a client matches each response to the head of its in-flight queue). A connection stops
 * being read while it has {@code kafka.connection.max.inflight.requests} in progress, while the node has
 * {@code kafka.queued.max.requests}, or while its socket's write queue is full.
 *
 * <p>Input it cannot read (a negative or oversized frame, an unreadable header, an unknown API key, a
 * body that does not parse) closes the connection with one log line, as Kafka's broker does. Owned by
 * the listener's event loop.
 */
public final class KafkaConnection {
  private static final System.Logger LOG = System.getLogger(KafkaConnection.class.getName());

  /** A request in progress, in arrival order; its response is written once every earlier one is. */
  private static final class Pending {
    final RequestHeader header;
    final short version;
    AbstractResponse response;
    boolean done;

    Pending(RequestHeader header, short version) {
      this.header = header;
      this.version = version;
    }
  }

  private final NetSocket socket;
  private final String id;
  private final KafkaApis apis;
  private final RequestPermits permits;
  private final int maxRequestBytes;
  private final int maxInflight;
  private final FrameReader reader;
  private final SecurityProtocol protocol;
  private final ListenerName listener;
  /** Null on a listener without SASL: its clients are anonymous. */
  private final SaslAuthenticator sasl;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private ClientInformation client = ClientInformation.EMPTY;
  /** The client's address, parsed once (an IP literal: never looked up). */
  private java.net.InetAddress clientAddress;
  /** A whole request frame read while the connection could not take it: handled first when it can. */
  private ByteBuffer held;
  private boolean closed;
  /** A refused login was answered: nothing more is read or written, the socket closes once that is sent. */
  private boolean closing;

  KafkaConnection(NetSocket socket, String id, KafkaApis apis, RequestPermits permits, KafkaListenerConfig config,
      SecurityProtocol protocol, SaslAuthenticator sasl, Runnable onClose) {
    this.socket = socket;
    this.protocol = protocol;
    this.listener = ListenerName.forSecurityProtocol(protocol);
    this.sasl = sasl;
    this.id = id;
    this.apis = apis;
    this.permits = permits;
    this.maxRequestBytes = config.maxRequestBytes();
    this.maxInflight = config.connectionMaxInflight();
    this.reader = new FrameReader(socket, new FrameReader.Frames() {
      @Override
      public boolean sizeAllowed(int size) {
        if (size <= 0 || size > maxRequestBytes) {
          close("request size " + size + " outside 1.." + maxRequestBytes + " (socket.request.max.bytes)");
          return false;
        }
        return true;
      }

      @Override
      public void frame(ByteBuffer frame) {
        onFrame(frame);
      }
    });
    socket.handler(reader);
    socket.exceptionHandler(e -> close("read failed: " + e.getMessage()));
    // the client closed its side: nothing more can come, and a half-open socket would hold a connection slot
    socket.endHandler(v -> socket.close());
    socket.closeHandler(v -> {
      closed = true;
      permits.forget(this);
      onClose.run();
    });
    socket.drainHandler(v -> resumeIfPossible());
  }

  /** The client's software name and version, from its ApiVersions request (KIP-511). */
  public ClientInformation clientInformation() {
    return client;
  }

  void clientInformation(ClientInformation client) {
    this.client = client;
  }

  /** This connection's SASL exchange (only asked for on a SASL listener, whose connections all have one). */
  SaslAuthenticator sasl() {
    if (sasl == null) {
      throw new IllegalStateException("no SASL on a " + protocol + " listener");
    }
    return sasl;
  }

  private void onFrame(ByteBuffer frame) {
    if (canStart()) {
      start(frame);
    } else {
      held = frame;
      reader.pause();
    }
  }

  private boolean canStart() {
    if (pending.size() >= maxInflight || socket.writeQueueFull()) {
      return false;
    }
    if (!permits.tryAcquire()) {
      permits.await(this);
      return false;
    }
    return true;
  }

  /** Called by {@link RequestPermits} when a request of any connection completed. */
  void permitAvailable() {
    resumeIfPossible();
  }

  private void resumeIfPossible() {
    if (closed || closing) {
      return;
    }
    if (held != null) {
      if (!canStart()) {
        return;
      }
      ByteBuffer frame = held;
      held = null;
      start(frame);
    }
    if (held == null && pending.size() < maxInflight && !socket.writeQueueFull()) {
      reader.resume();
    }
  }

  private void start(ByteBuffer bytes) {
    RequestHeader header;
    RequestAndSize parsed;
    RequestContext context;
    try {
      header = RequestHeader.parse(bytes);
      if (sasl != null && !sasl.complete() && !sasl.allowsBeforeAuthentication(header.apiKey())) {
        permits.release();
        close(header.apiKey() + " before SASL authentication completed");
        return;
      }
      if (clientAddress == null) {
        clientAddress = java.net.InetAddress.getByName(socket.remoteAddress().hostAddress());
      }
      context = new RequestContext(header, id, clientAddress,
          Optional.of(socket.remoteAddress().port()), sasl == null ? KafkaPrincipal.ANONYMOUS : sasl.principal(),
          listener, protocol, client, false);
      parsed = context.parseRequest(bytes);
    } catch (Exception e) {
      permits.release();
      close("unreadable request: " + e.getMessage());
      return;
    }
    Pending slot = new Pending(header, context.apiVersion());
    pending.add(slot);
    Future<AbstractResponse> response;
    try {
      response = apis.handle(new KafkaRequest(context, parsed.request, this));
    } catch (RuntimeException e) {
      response = Future.failedFuture(e);
    }
    response.onComplete(result -> {
      permits.release();
      slot.done = true;
      slot.response = result.succeeded() ? result.result() : errorResponse(parsed.request, result.cause());
      flush();
    });
  }

  private static AbstractResponse errorResponse(AbstractRequest request, Throwable cause) {
    return request.getErrorResponse(cause);
  }

  /** Writes every response that is ready and has no earlier one still in progress, all in one write. */
  private void flush() {
    ResponseFrame ready = null;
    while (!pending.isEmpty() && pending.peek().done) {
      Pending head = pending.poll();
      if (head.response == null || closed || closing) {
        continue; // acks=0: the client expects nothing
      }
      try {
        ResponseFrame frame = frame(head);
        ready = ready == null ? frame : ready.then(frame);
      } catch (IOException | RuntimeException e) {
        if (ready != null) {
          ready.writeTo(socket);
        }
        close("cannot encode the " + head.header.apiKey() + " v" + head.version + " response: " + e.getMessage());
        return;
      }
      if (sasl != null && sasl.failed()) { // the refusal is the last thing the client hears
        closing = true;
        reader.pause();
        ready.writeTo(socket).onComplete(done -> close(sasl.failure()));
        return;
      }
    }
    if (ready != null) {
      ready.writeTo(socket);
    }
    resumeIfPossible();
  }

  private static ResponseFrame frame(Pending head) throws IOException {
    return ResponseFrame.of(head.response.toSend(new ResponseHeader(head.header.correlationId(),
        head.header.apiKey().responseHeaderVersion(head.version)), head.version));
  }

  /** Whether a response may hold file regions: not through TLS, which has to encrypt every byte in memory. */
  boolean sendsFileRegions() {
    return !socket.isSsl();
  }

  /** Closes with one log line (no stack trace): the reason a client's input was refused. */
  void close(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    permits.forget(this);
    String software = client == ClientInformation.EMPTY ? "" : " (" + client.softwareName() + " " + client.softwareVersion() + ")";
    LOG.log(Level.INFO, "Kafka connection " + id + " from " + socket.remoteAddress() + software + " closed: " + reason);
    socket.close();
  }

  /** An API this listener does not serve, or a version it does not: the client gets UNSUPPORTED_VERSION. */
  static Future<AbstractResponse> unsupported(KafkaRequest request) {
    ApiKeys key = request.body().apiKey();
    return Future.succeededFuture(request.body().getErrorResponse(new UnsupportedVersionException(
        "Brook does not serve " + key + " v" + request.version())));
  }
}
