package io.brook.cluster.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.ClusterConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers' elections in three JVMs on Hazelcast (production timing): SIGSTOP the controller, another
 * takes over within the failure-detection bound, and the frozen one, once woken, never acts on its old
 * epoch (not even in the burst of late timers) and steps down.
 */
@Tag("integration")
class ElectionProcessTest {
  private static final String JVM_FLAGS = "--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED "
      + "--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED "
      + "--add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED";
  private static final Pattern EVENT = Pattern.compile("^(ELECTED|RESIGNED) epoch=(\\d+)", Pattern.MULTILINE);

  @TempDir
  Path dir;

  private final List<Broker> brokers = new ArrayList<>();

  @AfterEach
  void killAll() {
    brokers.forEach(Broker::kill);
  }

  @Test
  void aFrozenControllerIsReplacedAndStopsActingWhenItWakes() throws Exception {
    String cluster = "election-proc-" + UUID.randomUUID();
    for (String id : List.of("1", "2", "3")) {
      brokers.add(new Broker(id, cluster));
    }
    for (Broker b : brokers) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> b.ready());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> controllers().size() == 1);
    Broker frozen = controllers().get(0);
    long oldEpoch = frozen.currentEpoch().orElseThrow();

    long signalledAt = System.currentTimeMillis();
    signal("STOP", frozen);
    long stoppedAt = System.currentTimeMillis(); // delivered: it can take no timestamp after this
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> brokers.stream().anyMatch(b -> b != frozen && b.currentEpoch().orElse(0L) > oldEpoch));
    long failoverMs = System.currentTimeMillis() - signalledAt;
    Broker next = brokers.stream().filter(b -> b != frozen && b.currentEpoch().isPresent()).findFirst().orElseThrow();
    System.out.printf("[hazelcast] SIGSTOP of the controller (epoch %d): broker %s took over with epoch %d after %d ms%n",
        oldEpoch, next.id, next.currentEpoch().orElseThrow(), failoverMs);
    // Hazelcast's 6 s heartbeat timeout frees the lock, then a lock attempt (up to controller.lock.wait.ms)
    // wins it: typically 6-8 s; the bound leaves room for a loaded 2-core machine
    assertThat(failoverMs).isLessThan(12_000);

    signal("CONT", frozen);
    long wokeAt = System.currentTimeMillis();
    await().atMost(Duration.ofSeconds(30)).until(() -> frozen.output().contains("RESIGNED epoch=" + oldEpoch));
    System.out.printf("[hazelcast] the woken controller stepped down %d ms after SIGCONT%n",
        System.currentTimeMillis() - wokeAt);
    frozen.output().lines().filter(l -> l.contains("ControllerElection]") || l.matches("^(ELECTED|RESIGNED|REJECT|STUCK).*"))
        .forEach(l -> System.out.println("frozen broker: " + l));
    Matcher acts = Pattern.compile("ACT epoch=" + oldEpoch + " at=(\\d+)").matcher(frozen.output());
    while (acts.find()) {
      assertThat(Long.parseLong(acts.group(1))).as("acted on its old epoch after the freeze").isLessThan(stoppedAt);
    }
    assertThat(controllers()).containsExactly(next);
  }

  private List<Broker> controllers() {
    return brokers.stream().filter(b -> b.currentEpoch().isPresent()).toList();
  }

  private static void signal(String signal, Broker broker) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(broker.process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
  }

  private final class Broker {
    final String id;
    final Path log;
    final Process process;

    Broker(String id, String cluster) throws IOException {
      this.id = id;
      this.log = dir.resolve("broker-" + id + ".log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
      command.addAll(List.of(JVM_FLAGS.split(" ")));
      command.add("-Dhazelcast.phone.home.enabled=false");
      String logging = System.getProperty("java.util.logging.config.file");
      if (logging != null) {
        command.add("-Djava.util.logging.config.file=" + logging);
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), ElectionProcessMain.class.getName(),
          "id=" + id, "data.dir=" + dir.resolve("data-" + id),
          ClusterConfig.CLUSTER_NAME + "=" + cluster,
          ClusterConfig.CLUSTER_PORT + "=16741",
          ClusterConfig.CLUSTER_MEMBERS + "=127.0.0.1:16741-16746"));
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
    }

    boolean ready() {
      if (!process.isAlive()) {
        throw new IllegalStateException("broker " + id + " exited:\n" + output());
      }
      return output().contains("READY");
    }

    /** The epoch it is controller of, judging by its last ELECTED/RESIGNED line. */
    Optional<Long> currentEpoch() {
      Matcher m = EVENT.matcher(output());
      String last = null;
      long epoch = 0;
      while (m.find()) {
        last = m.group(1);
        epoch = Long.parseLong(m.group(2));
      }
      return "ELECTED".equals(last) ? Optional.of(epoch) : Optional.empty();
    }

    String output() {
      try {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        return "";
      }
    }

    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
