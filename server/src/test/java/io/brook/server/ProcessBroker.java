package io.brook.server;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Brook node in its own JVM ({@link BrookServer} on this test's classpath), so that tests can
 * kill it for real: {@link #kill()} is SIGKILL, {@link #stop()} is SIGTERM (clean shutdown). The
 * node's output goes to {@code <dataDir>.log}; {@link #start()} waits for its "ready" line. A launcher
 * prefix runs the JVM elsewhere (inside a network namespace: {@code netns.NetnsHost#launcher}); it must
 * exec java, so that {@link #pid()} and the signals reach the JVM itself.
 */
public final class ProcessBroker implements AutoCloseable {
  private static final String HAZELCAST_FLAGS = "--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED "
      + "--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED "
      + "--add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED";

  private final Map<String, Object> config;
  private final Path log;
  private final List<String> launcher;
  private Process process;
  private boolean signalled;
  private int logStart;

  /** {@code config}: node keys ({@code node.id}, {@code data.dir}, ports, cluster ...). */
  public ProcessBroker(Map<String, Object> config) {
    this(config, Path.of(config.get("data.dir") + ".log"));
  }

  /** With the node's output in {@code log} (kept after the test, for diagnosis). */
  public ProcessBroker(Map<String, Object> config, Path log) {
    this(config, log, List.of());
  }

  /** With {@code launcher} before the java command line (e.g. {@code ip netns exec NS}). */
  public ProcessBroker(Map<String, Object> config, Path log, List<String> launcher) {
    this.config = config;
    this.log = log;
    this.launcher = List.copyOf(launcher);
  }

  public ProcessBroker start() {
    return launch().awaitReady();
  }

  /** Starts the JVM without waiting; {@link #awaitReady()} waits (several brokers start side by side). */
  public ProcessBroker launch() {
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    // C1 only: a test broker lives for seconds to minutes, and on two cores shared by three brokers and the test
    // the C2 compiler's threads took a third of the CPU; starts were 20-30 % faster without them
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(List.of(HAZELCAST_FLAGS.split(" ")));
    command.add("-Dhazelcast.phone.home.enabled=false");
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    // diagnosis: e.g. -Dbrook.test.broker.jvm.options="-Xlog:gc:file={log}.gc.log -XX:StartFlightRecording=settings=profile"
    String extra = System.getProperty("brook.test.broker.jvm.options", "").replace("{log}", log.toString());
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), BrookServer.class.getName()));
    logStart = output().length(); // a restart appends to the log: only its own lines count
    try {
      Files.createDirectories(log.getParent());
      command.addAll(List.of("-conf", writeConf().toAbsolutePath().toString()));
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a broker process", e);
    }
    signalled = false;
    return this;
  }

  /**
   * The node's config in a file beside its log, as strings (as {@code -Dbrook.<key>} overrides would be),
   * rather than on the command line: a kill by pattern elsewhere on a shared machine (the old README recipe
   * {@code pgrep -f 'brook.node.id=3 '}) must not hit a test's broker.
   */
  private Path writeConf() throws IOException {
    JsonObject conf = new JsonObject();
    config.forEach((key, value) -> conf.put(key, String.valueOf(value)));
    Path file = log.resolveSibling(log.getFileName() + ".json");
    Files.writeString(file, conf.encodePrettily());
    return file;
  }

  /** Waits for the "ready" line of the JVM {@link #launch()} started; fails when it exits first. */
  public ProcessBroker awaitReady() {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("broker process exited with " + process.exitValue() + ":\n" + output());
      }
      return output().substring(logStart).contains("Brook node " + config.get("node.id") + " ready");
    });
    return this;
  }

  /** SIGKILL: no shutdown hook, no clean close. */
  public void kill() {
    signalled = true;
    process.destroyForcibly();
    waitForExit();
  }

  /** SIGTERM: the launcher's shutdown hook closes Vert.x and the logs cleanly. */
  public void stop() {
    signalled = true;
    process.destroy();
    waitForExit();
  }

  /** Waits for the JVM to exit by itself (a refused start) and answers its exit status. */
  public int awaitExit(Duration atMost) {
    try {
      if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("broker process still running after " + atMost + ":\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  /** The exit status of a JVM that has exited. */
  public int exitValue() {
    return process.exitValue();
  }

  /** This run's output only (a restart appends to the same log). */
  public String runOutput() {
    String all = output();
    return all.length() >= logStart ? all.substring(logStart) : all;
  }

  public long pid() {
    return process.pid();
  }

  /** SIGSTOP: the JVM freezes (a long GC pause, a hung host), its sockets stay open. */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT: it wakes up and carries on where it was. */
  public void thaw() {
    signal("CONT");
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * How the process ended if it ended without this test killing or stopping it (exit 137: a SIGKILL from
   * outside, such as the OOM killer or a kill by pattern); null while it runs or after {@link #kill()}.
   */
  public String unexpectedExit() {
    if (process == null || process.isAlive() || signalled) {
      return null;
    }
    return "broker " + config.get("node.id") + " (pid " + process.pid() + ") exited by itself with " + process.exitValue()
        + (process.exitValue() == 137 ? " (SIGKILL, not sent by this test)" : "") + "; its log: " + log.toAbsolutePath();
  }

  private void signal(String name) {
    try {
      new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable log " + log + ")";
    }
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
