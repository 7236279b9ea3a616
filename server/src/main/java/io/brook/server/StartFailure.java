package io.brook.server;

import java.net.BindException;

/**
 * Why a node could not start, in one line for the console: the message Brook (or Kafka's config
 * checks) wrote, without exception class names or stack traces; a port conflict that nothing named
 * is named here.
 */
final class StartFailure {
  private StartFailure() {}

  /** {@code failure} null means the launcher's own 2-minute limit ran out. */
  static String reason(Throwable failure, String during) {
    if (failure == null) {
      return "timed out " + during + " (the launcher waits 2 minutes)";
    }
    String message = messageOf(failure);
    BindException bind = bindCause(failure);
    if (bind != null && !message.contains("listen")) {
      return "a port it needs is in use (" + messageOf(bind) + "): the event bus listens on eventbus.port, the "
          + "cluster manager on cluster.port and up; stop what holds it or choose other ports";
    }
    return message;
  }

  private static String messageOf(Throwable failure) {
    String message = failure.getMessage();
    if (message != null && !message.isBlank()) {
      return message;
    }
    return failure.getCause() != null ? messageOf(failure.getCause()) : failure.getClass().getSimpleName();
  }

  private static BindException bindCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException bind) {
        return bind;
      }
    }
    return null;
  }
}
