package io.brook.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * How a node logs, set up before anything logs: a log manager that survives shutdown
 * ({@link ShutdownSafeLogManager}), Brook's logging defaults when no
 * {@code java.util.logging.config.file} is given (the same file as {@code conf/logging.properties},
 * bundled in the jar, so {@code java -jar} is as quiet as {@code ./run.sh}), and the launcher's
 * failure reports moved to FINE: {@link BrookServer}'s hooks say the same in one line, and the stack
 * trace stays at FINE under {@code io.brook.server.BrookServer} for whoever needs it.
 */
final class NodeLogging {
  static final String DEFAULTS = "/io/brook/server/logging.properties";
  private static final String MANAGER_PROPERTY = "java.util.logging.manager";
  /**
   * Strong references (JUL forgets the filter of a logger nobody holds), set by {@link #install}: a
   * static initializer would start java.util.logging before the manager is chosen.
   */
  private static final List<Logger> FILTERED = new ArrayList<>();
  /** The last failure moved to FINE: what a refusal without a hook (the launcher's own checks) was. */
  private static volatile LogRecord lastMovedFailure;

  private NodeLogging() {}

  /** Call first in {@code main}: the log manager is chosen when java.util.logging is first used. */
  static void install() {
    if (System.getProperty(MANAGER_PROPERTY) == null) {
      System.setProperty(MANAGER_PROPERTY, ShutdownSafeLogManager.class.getName());
    }
    if (System.getProperty("java.util.logging.config.file") == null
        && System.getProperty("java.util.logging.config.class") == null) {
      try (InputStream defaults = NodeLogging.class.getResourceAsStream(DEFAULTS)) {
        if (defaults != null) {
          LogManager.getLogManager().readConfiguration(defaults);
        }
      } catch (IOException e) {
        System.err.println("Brook: cannot read its logging defaults " + DEFAULTS + ": " + e);
      }
    }
    // the root handlers are created lazily, at the first record; the JDK's LogManager shutdown hook
    // then stops that, so a line logged by a shutdown hook before anything else was logged (a node
    // stopped early in its join) would be lost: create them now
    Logger.getLogger("").getHandlers();
    Logger traces = Logger.getLogger(BrookServer.class.getName());
    FILTERED.add(traces);
    // the launcher's failures and Vert.x's failed cluster join: the hooks print them in one line
    toFine(traces, "io.vertx.launcher.application.VertxApplication", record -> true);
    toFine(traces, "io.vertx.core.impl.VertxImpl",
        record -> String.valueOf(record.getMessage()).startsWith("Failed to initialize clustered Vert.x"));
  }

  /** The cause (or else the message) of the last failure report moved to FINE, if any. */
  static java.util.Optional<Throwable> lastMovedFailure() {
    LogRecord record = lastMovedFailure;
    if (record == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(record.getThrown() != null ? record.getThrown()
        : new IllegalStateException(String.valueOf(record.getMessage())));
  }

  /** Records of {@code name} at WARNING or above that {@code repeated} matches go to {@code traces} at FINE. */
  private static void toFine(Logger traces, String name, Predicate<LogRecord> repeated) {
    Logger logger = Logger.getLogger(name);
    FILTERED.add(logger);
    logger.setFilter(record -> {
      if (record.getLevel().intValue() < Level.WARNING.intValue() || !repeated.test(record)) {
        return true;
      }
      lastMovedFailure = record;
      traces.log(Level.FINE, name + ": " + record.getMessage(), record.getThrown());
      return false;
    });
  }
}
