package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node processes, started for real: a -conf file that is missing or invalid stops the node at once
 * with the path, the reason and a non-zero exit (never a start on the defaults); inline JSON still
 * configures a node; a running node's PID is in brook.pid, a second node on its data dir is refused
 * with that PID, and {@code ./run.sh --stop} stops it cleanly and removes the file.
 */
@Tag("integration")
class NodeStartAndStopTest {
  @TempDir
  Path root;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void aMissingConfFileIsRefusedWithItsPathTakenFromTheWorkingDirectory() throws Exception {
    Process node = launch(root, root.resolve("missing.log"), "-conf", "absent.json");
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).isEqualTo(2);
    assertThat(Files.readString(root.resolve("missing.log")))
        .isEqualTo("Brook could not start: config file " + root.resolve("absent.json") + " does not exist\n");
  }

  @Test
  void anInvalidConfFileIsRefusedWithThePathAndTheParseError() throws Exception {
    Path conf = Files.writeString(root.resolve("broken.json"), "{\n  \"node.id\": 1,\n  \"data.dir\": \"x\"\n");
    Process node = launch(root, root.resolve("invalid.log"), "-conf", conf.toString());
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).isEqualTo(2);
    List<String> lines = Files.readAllLines(root.resolve("invalid.log"));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("Brook could not start: config file " + conf + " is not a valid JSON object: ")
        .contains("Unexpected end-of-input");
  }

  /** The launcher refuses some options without a word or a hook: the node still says why, once. */
  @Test
  void optionsTheLauncherRefusesAreSaidInOneLine() throws Exception {
    Map<String, Object> config = new TestCluster().brokerConfig(1, root);
    Path log = root.resolve("options.log");
    Process node = launch(root, log, "-options", "{\"eventLoopPoolSize\":0}", "-conf", new JsonObject(config).encode());
    assertThat(node.waitFor(90, TimeUnit.SECONDS)).as("the node exits").isTrue();
    assertThat(node.exitValue()).isEqualTo(1);
    assertThat(Files.readAllLines(log))
        .containsExactly("Brook could not start: the Vert.x launcher refused its options (-options, -D vertx.options.*)");
  }

  @Test
  void aRunningNodeOwnsItsDataDirUntilRunShStopsIt() throws Exception {
    TestCluster cluster = new TestCluster();
    Map<String, Object> config = cluster.brokerConfig(1, root);
    Path dataDir = Path.of(config.get("data.dir").toString());
    // configured by inline JSON, which -conf still accepts
    Process owner = launch(root, root.resolve("owner.log"), "-conf", new JsonObject(config).encode());
    awaitLine(owner, root.resolve("owner.log"), "Brook node 1 ready");
    assertThat(Files.readString(dataDir.resolve("brook.pid")).trim()).isEqualTo(String.valueOf(owner.pid()));

    // another cluster, so that only the data dir can be the reason
    Map<String, Object> intruder = new TestCluster().brokerConfig(1, root);
    intruder.put("data.dir", dataDir.toString());
    Process second = launch(root, root.resolve("intruder.log"), "-conf", new JsonObject(intruder).encode());
    assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("the second node exits").isTrue();
    assertThat(second.exitValue()).isNotZero();
    // one line, before it joins any cluster (nothing of a join, no stack trace)
    assertThat(Files.readAllLines(root.resolve("intruder.log")))
        .containsExactly("Brook could not start: data dir " + dataDir + " is in use by PID " + owner.pid() + " ("
            + dataDir.resolve(".lock") + " is locked): stop that node first, or give this one a directory of its own");
    assertThat(owner.isAlive()).isTrue();

    RunScript.Result stop = RunScript.run(root, "--stop", "--data-dir", "node-1"); // relative to the caller
    assertThat(stop.exitCode()).as(stop.output()).isZero();
    assertThat(stop.output()).contains("stopped the node in " + dataDir + " (PID " + owner.pid() + ")");
    // run.sh counts a zombie as stopped (it has exited); this JVM's reaper thread collects it a moment later,
    // so isAlive() alone raced with it under load (failed once with two test forks on a busy machine)
    assertThat(owner.waitFor(10, TimeUnit.SECONDS)).as("the node has exited").isTrue();
    assertThat(dataDir.resolve("brook.pid")).doesNotExist();
  }

  /** BrookServer with {@code args} in its own JVM, working in {@code dir}, its output in {@code log}. */
  private Process launch(Path dir, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Dhazelcast.phone.home.enabled=false"));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), BrookServer.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    started.add(process);
    return process;
  }

  private static void awaitLine(Process process, Path log, String line) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited with " + process.exitValue() + ":\n" + output);
      }
      return output.contains(line);
    });
  }
}
