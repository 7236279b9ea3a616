package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run.sh's command line, from outside the repository (--print-command: no build, no start): the
 * defaults are the repository's node 1, {@code --node-id N} derives data/node-N and the ports, and
 * relative paths given to it are the caller's. And {@code --stop} with nothing to stop says so.
 */
class RunScriptTest {
  private static final Path HOME = RunScript.HOME;

  @TempDir
  Path caller;

  @Test
  void withoutOptionsItIsTheRepositorysNode1WhereverItIsStartedFrom() throws Exception {
    List<String> plain = printCommand();
    assertThat(plain).contains("-Dbrook.node.id=1", "-Dbrook.data.dir=" + HOME.resolve("data/node-1"),
        "-Dbrook.http.port=8080", "-Dbrook.bridge.port=7070");
    assertThat(plain.subList(plain.size() - 4, plain.size()))
        .containsExactly("-jar", HOME.resolve("server/target/brook-server.jar").toString(), "-conf",
            HOME.resolve("conf/brook.json").toString());
    assertThat(printCommand("--node-id", "1")).isEqualTo(plain);
  }

  @Test
  void nodeIdNDerivesItsDataDirAndPortsUnlessGiven() throws Exception {
    assertThat(printCommand("--node-id", "3")).contains("-Dbrook.node.id=3", "-Dbrook.data.dir=" + HOME.resolve("data/node-3"),
        "-Dbrook.http.port=8082", "-Dbrook.bridge.port=7072", "-Dbrook.kafka.port=9094");
    List<String> given = printCommand("-Dbrook.data.dir=/srv/brook", "--node-id", "3", "--http-port", "9090");
    assertThat(given).contains("-Dbrook.data.dir=/srv/brook", "-Dbrook.http.port=9090")
        .filteredOn(arg -> arg.startsWith("-Dbrook.data.dir=") || arg.startsWith("-Dbrook.http.port=")).hasSize(2);
  }

  @Test
  void relativePathsAreTakenFromTheCallersDirectory() throws Exception {
    List<String> command = printCommand("--data-dir", "reldata", "--conf", "my.json", "-Dbrook.metadata.log.dir=meta");
    assertThat(command).contains("-Dbrook.data.dir=" + caller.resolve("reldata"), "-Dbrook.metadata.log.dir=" + caller.resolve("meta"));
    assertThat(command.get(command.size() - 1)).isEqualTo(caller.resolve("my.json").toString());
    // with a conf file of one's own and no --node-id, the file's node.id, data.dir and ports apply
    assertThat(command).noneMatch(arg -> arg.startsWith("-Dbrook.node.id=") || arg.startsWith("-Dbrook.http.port="));
  }

  @Test
  void stopSaysWhenThereIsNothingToStopAndLeavesOtherProgramsAlone() throws Exception {
    RunScript.Result none = RunScript.run(caller, "--stop", "--data-dir", "node-9");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.output()).contains("no node to stop in " + caller.resolve("node-9") + " (no brook.pid");

    // a stale pid file whose number now belongs to another program: that program is not signalled
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      Path dataDir = Files.createDirectories(caller.resolve("node-1"));
      Files.writeString(dataDir.resolve("brook.pid"), other.pid() + "\n");
      RunScript.Result stale = RunScript.run(caller, "--stop", "--data-dir", "node-1");
      assertThat(stale.exitCode()).isEqualTo(1);
      assertThat(stale.output()).contains("PID " + other.pid() + " of " + dataDir.resolve("brook.pid")
          + " is not a running Brook node", "removed the stale pid file");
      assertThat(dataDir.resolve("brook.pid")).doesNotExist();
      assertThat(other.waitFor(1, TimeUnit.SECONDS)).as("the other program still runs").isFalse();
    } finally {
      other.destroyForcibly();
    }
  }

  private List<String> printCommand(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "--print-command";
    System.arraycopy(args, 0, all, 1, args.length);
    RunScript.Result result = RunScript.run(caller, all);
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.lines();
  }
}
