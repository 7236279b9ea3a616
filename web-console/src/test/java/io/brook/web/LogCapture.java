package io.brook.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects every JUL record (Vert.x, Netty and Brook's System.Logger all end up in JUL) while open,
 * so a test can assert that bad input left no SEVERE line and no stack trace behind.
 */
final class LogCapture extends Handler implements AutoCloseable {
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger root = Logger.getLogger("");

  LogCapture() {
    setLevel(Level.ALL);
    root.addHandler(this);
  }

  /** Records at SEVERE or carrying a stack trace. */
  List<LogRecord> severeOrTraced() {
    return records.stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue() || r.getThrown() != null)
        .toList();
  }

  /** Records at {@code level} or above. */
  List<LogRecord> atLeast(Level level) {
    return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
  }

  static String describe(List<LogRecord> records) {
    StringBuilder text = new StringBuilder();
    for (LogRecord r : records.subList(0, Math.min(5, records.size()))) {
      text.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(r.getMessage())
          .append(r.getThrown() == null ? "" : " [" + r.getThrown() + "]").append('\n');
    }
    return records.size() + " records, first: " + text;
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
