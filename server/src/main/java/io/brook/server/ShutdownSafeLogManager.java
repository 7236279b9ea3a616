package io.brook.server;

import java.util.logging.LogManager;

/**
 * java.util.logging's manager with one change: it keeps its handlers while the JVM shuts down. The
 * JDK's manager closes every handler from a shutdown hook of its own, which runs at the same time as
 * the launcher's hook that stops the node, so the lines a stopping node logs (what it flushed, how long
 * it took, what it was still waiting for) were lost. Nothing needs the reset: the console handler
 * flushes each record, and the process exits right after.
 *
 * <p>Installed by {@link NodeLogging#install} through {@code java.util.logging.manager}, before
 * anything logs.
 */
public final class ShutdownSafeLogManager extends LogManager {
  @Override
  public void reset() {
    if (!jvmShuttingDown()) {
      super.reset(); // readConfiguration resets too: that one must go through
    }
  }

  /** The JVM refuses new shutdown hooks once it has begun to run them: the one sure sign of shutdown. */
  static boolean jvmShuttingDown() {
    Thread probe = new Thread(() -> { });
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shuttingDown) {
      return true;
    }
  }
}
