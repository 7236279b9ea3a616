package io.brook.web.bridge;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.web.ListenerAuthentication;
import io.brook.web.RateLimitedLog;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * One bridge client's connection: frames in ({@link FrameReader}, bounded), validated
 * ({@link BridgeFrame#parse}), checked against the permission rules, sent as event bus requests, and
 * the answers written back as frames. The protocol is the Vert.x TCP bridge's, restricted to what
 * client addresses allow:
 * <ul>
 *   <li>{@code send} to a client address ({@link Addresses#CLIENT_ADDRESS_REGEX}) is a request;
 *       the answer goes to the frame's {@code replyAddress} (or nowhere when it has none). Anything
 *       else is {@code access_denied}.
 *   <li>{@code register} and {@code publish} are refused ({@code access_denied}): a bridge client
 *       that registered on a client address would join its round robin and receive other clients'
 *       requests, and a publish would hit every broker at once. {@code unregister} has nothing to
 *       undo ({@code unknown_address}). {@code ping} answers {@code pong}.
 *   <li>A malformed frame gets an err frame and the connection stays usable; a frame length that is
 *       negative or above the limit gets an err frame and the connection is closed (the stream
 *       cannot be re-synchronised).
 *   <li>At most {@code maxInflightRequests} requests wait for answers; one more is refused with
 *       {@code too_many_requests}. Reading pauses while the socket's write queue is full, so a
 *       client that does not read its answers stops being read.
 *   <li>Requests go out as the principal the first one's {@value #AUTHORIZATION} header proved (or
 *       anonymous where allowed), in the event bus headers the brokers check ACLs by; wrong
 *       credentials get {@code authentication_failed} and the connection is closed.
 *   <li>A frame kept across reads must fit in the bridge's {@link BufferBudget}, else
 *       {@code server_busy} and the connection is closed; {@link BridgeServer} closes idle and slow
 *       connections ({@link BridgeTimeouts}) through {@link #closeWith}.
 * </ul>
 * Logs one line for the first malformed frame (rate-limited over all connections), never a stack
 * trace. Owned by the socket's event loop.
 */
final class BridgeConnection implements FrameReader.Sink {
  static final String ACCESS_DENIED = "access_denied";
  static final String AUTHENTICATION_FAILED = "authentication_failed";
  /** The frame header with the client's credentials, as HTTP's: {@code Basic base64(user:password)} or {@code Bearer token}. */
  static final String AUTHORIZATION = "authorization";
  static final String SERVER_BUSY = "server_busy";

  private static final System.Logger LOG = System.getLogger(BridgeConnection.class.getName());

  private final EventBus eventBus;
  private final NetSocket socket;
  private final Limits limits;
  private final RateLimitedLog clientErrors;
  private final FrameReader reader;
  private final ListenerAuthentication authentication;
  /** Who the client proved to be (with its first request), or null before. */
  private String principal;
  private String credentials;
  /** Requests that came while the first one's credentials were being checked; null when none is. */
  private List<BridgeFrame> waitingForLogin;
  private int inflightRequests;
  private long malformedFrames;
  private boolean closed;

  /** The per-connection bounds, and the budget of partly read frames all connections share. */
  record Limits(int maxFrameBytes, int maxInflightRequests, BufferBudget buffered, LongSupplier clockMs) {}

  BridgeConnection(EventBus eventBus, NetSocket socket, Limits limits, RateLimitedLog clientErrors,
      IntConsumer frameBytesSeen, ListenerAuthentication authentication) {
    this.eventBus = eventBus;
    this.authentication = authentication;
    this.socket = socket;
    this.limits = limits;
    this.clientErrors = clientErrors;
    this.reader = new FrameReader(limits.maxFrameBytes(), this, frameBytesSeen, limits.buffered(), limits.clockMs());
  }

  /** Starts reading; {@code onClosed} runs once when the socket is closed, by either side. */
  void start(Runnable onClosed) {
    socket.handler(reader);
    socket.exceptionHandler(failure -> LOG.log(Level.DEBUG, () -> "Bridge connection " + remote() + " failed: "
        + failure)); // resets and the like: the client's business, and the socket closes next
    socket.closeHandler(done -> {
      closed = true;
      reader.stop();
      if (malformedFrames > 1) {
        LOG.log(Level.DEBUG, () -> "Bridge connection " + remote() + " closed after " + malformedFrames
            + " malformed frames");
      }
      onClosed.run();
    });
  }

  /** Requests waiting for a broker's answer. */
  int inflightRequests() {
    return inflightRequests;
  }

  @Override
  public void onFrame(Buffer json) {
    JsonObject message;
    BridgeFrame frame;
    try {
      message = BridgeFrame.decode(json);
    } catch (MalformedFrameException e) {
      refuseMalformed(null, e);
      return;
    }
    try {
      frame = BridgeFrame.parse(message);
    } catch (MalformedFrameException e) {
      refuseMalformed(BridgeFrame.replyAddressOf(message), e);
      return;
    }
    dispatch(frame);
  }

  @Override
  public void onBadLength(int length) {
    String detail = length < 0 ? "negative frame length " + length
        : "frame length " + length + " is above bridge.max.frame.bytes (" + limits.maxFrameBytes() + ")";
    if (++malformedFrames == 1) { // one line per connection
      clientErrors.log(Level.INFO, "Bridge client " + remote() + " sent a " + detail + "; closing the connection");
    }
    write(BridgeFrames.err(MalformedFrameException.INVALID_FRAME + ": " + detail + "; closing", null));
    socket.close();
  }

  /**
   * Why close rather than pause reading until the budget frees: a paused connection keeps the bytes
   * it holds, so a budget full of paused connections frees nothing until their frame-read timeouts
   * (every large frame on the node would stall that long), and a pause for memory would have to be
   * kept apart from the pause for a full write queue ({@link #write}), whose drain resumes reading.
   * Closing frees the bytes at once and tells the client why (it may retry); every other
   * connection's frame completes, and frames that arrive in one read need no budget at all.
   */
  @Override
  public void onBufferBudgetExceeded(int length) {
    clientErrors.log(Level.WARNING, "Bridge client " + remote() + ": a frame of " + length + " bytes would take the"
        + " partly read frames of all connections over bridge.max.buffered.bytes; closing the connection");
    closeWith(SERVER_BUSY + ": the bridge holds bridge.max.buffered.bytes of partly read frames; closing, retry later");
  }

  /** Sends an err frame (no reply address) and closes: the bridge's timeouts end connections here. */
  void closeWith(String errMessage) {
    write(BridgeFrames.err(errMessage, null));
    socket.close();
  }

  FrameReader reader() {
    return reader;
  }

  private void dispatch(BridgeFrame frame) {
    switch (frame.type()) {
      case BridgeFrame.PING:
        write(BridgeFrames.pong());
        break;
      case BridgeFrame.SEND:
        if (Addresses.isClientAddress(frame.address())) {
          sendAuthenticated(frame);
        } else {
          write(BridgeFrames.err(ACCESS_DENIED, frame.replyAddress()));
        }
        break;
      case BridgeFrame.UNREGISTER:
        // nothing is ever registered; the Vert.x bridge answers the same for an unknown registration
        write(BridgeFrames.err(Addresses.isClientAddress(frame.address()) ? "unknown_address" : ACCESS_DENIED, null));
        break;
      default: // register, publish
        write(BridgeFrames.err(ACCESS_DENIED, frame.replyAddress()));
    }
  }

  /**
   * Requests go out as the connection's principal, proved by the first one's {@value #AUTHORIZATION}
   * header (or anonymous where allowed); later frames may repeat the same credentials or leave them out.
   * Wrong credentials close the connection, as Kafka does after a failed SASL exchange.
   */
  private void sendAuthenticated(BridgeFrame frame) {
    if (waitingForLogin != null) {
      if (waitingForLogin.size() >= limits.maxInflightRequests()) {
        write(BridgeFrames.err("too_many_requests: still checking this connection's credentials", frame.replyAddress()));
      } else {
        waitingForLogin.add(frame);
      }
      return;
    }
    String given = frame.delivery().getHeaders() == null ? null : frame.delivery().getHeaders().get(AUTHORIZATION);
    if (principal != null) {
      if (given == null || given.equals(credentials)) {
        send(frame);
      } else {
        write(BridgeFrames.err(AUTHENTICATION_FAILED + ": this connection acts as " + principal
            + "; open another connection to act as someone else", frame.replyAddress()));
      }
      return;
    }
    waitingForLogin = new ArrayList<>(List.of(frame));
    authentication.principal(given).onComplete(done -> {
      List<BridgeFrame> waiting = waitingForLogin;
      waitingForLogin = null;
      if (done.failed()) {
        clientErrors.log(Level.INFO, "Bridge client " + remote() + " failed to authenticate; closing the connection");
        write(BridgeFrames.err(AUTHENTICATION_FAILED + ": " + BrookErrors.toApiException(done.cause()).getMessage(),
            frame.replyAddress()));
        socket.close();
        return;
      }
      principal = done.result();
      credentials = given;
      waiting.forEach(this::sendAuthenticated);
    });
  }

  private void send(BridgeFrame frame) {
    if (inflightRequests >= limits.maxInflightRequests()) {
      write(BridgeFrames.err("too_many_requests: " + inflightRequests + " requests are waiting for answers on this"
          + " connection (bridge.max.inflight.requests.per.connection)", frame.replyAddress()));
      return;
    }
    inflightRequests++;
    // a send without replyAddress is still a request, so that it counts against the in-flight bound
    DeliveryOptions delivery = frame.delivery();
    if (delivery.getHeaders() != null) {
      delivery.getHeaders().remove(AUTHORIZATION); // credentials stop here
    }
    delivery.addHeader(Addresses.PRINCIPAL_HEADER, principal)
        .addHeader(Addresses.CLIENT_HOST_HEADER, socket.remoteAddress().hostAddress());
    eventBus.request(frame.address(), frame.body(), delivery)
        .onComplete(answer -> onAnswer(frame, answer));
  }

  private void onAnswer(BridgeFrame frame, AsyncResult<Message<Object>> answer) {
    inflightRequests--;
    if (closed || frame.replyAddress() == null) {
      return;
    }
    if (answer.failed()) {
      write(BridgeFrames.failure(frame.address(), frame.replyAddress(), replyException(answer.cause())));
      return;
    }
    Message<Object> reply = answer.result();
    try {
      write(BridgeFrames.message(frame.replyAddress(), reply));
    } catch (EncodeException | IllegalStateException notJson) {
      LOG.log(Level.ERROR, "Answer from " + frame.address() + " cannot be sent as JSON", notJson);
      write(BridgeFrames.failure(frame.address(), frame.replyAddress(), new ReplyException(
          io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE, -1, "UNKNOWN_SERVER_ERROR: the answer is not JSON")));
    }
  }

  private static ReplyException replyException(Throwable failure) {
    return failure instanceof ReplyException reply ? reply : new ReplyException(
        io.vertx.core.eventbus.ReplyFailure.ERROR, -1, "UNKNOWN_SERVER_ERROR: " + failure);
  }

  private void refuseMalformed(String replyAddress, MalformedFrameException e) {
    if (++malformedFrames == 1) { // one line per connection
      clientErrors.log(Level.INFO, "Bridge client " + remote() + " sent a malformed frame (" + e.errMessage()
          + "); answered with an err frame, not logged again for this connection");
    }
    write(BridgeFrames.err(e.errMessage(), replyAddress));
  }

  private void write(Buffer frame) {
    if (closed) {
      return;
    }
    socket.write(frame);
    if (socket.writeQueueFull()) {
      // a client that does not read its answers is not read either: its requests wait in TCP buffers
      socket.pause();
      socket.drainHandler(drained -> socket.resume());
    }
  }

  String remote() {
    return String.valueOf(socket.remoteAddress());
  }

  /** Headers of an event bus message as a JSON object. */
  static JsonObject headers(Message<?> message) {
    JsonObject headers = new JsonObject();
    for (Map.Entry<String, String> header : message.headers()) {
      headers.put(header.getKey(), header.getValue());
    }
    return headers;
  }
}
