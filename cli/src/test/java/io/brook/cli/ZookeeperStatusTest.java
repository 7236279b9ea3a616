package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/zookeeper --status} (bash, no nc) against a real ZooKeeper server started here: exit 0 and "serving"
 * while it answers ruok, exit 1 and "No ZooKeeper" once it is gone. The script is run as a user runs it.
 */
class ZookeeperStatusTest {
  @TempDir
  Path dataDir;

  record Run(int exit, String out, String err) {}

  static Run status(int port) throws IOException, InterruptedException {
    Path script = Path.of("..", "bin", "zookeeper").toAbsolutePath().normalize();
    Process process = new ProcessBuilder("bash", script.toString(), "--status", "--port", Integer.toString(port))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("--status finished").isTrue();
    return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void statusSaysWhetherAServerAnswersRuok() throws Exception {
    System.setProperty("zookeeper.4lw.commands.whitelist", "ruok"); // as bin/zookeeper's zoo.cfg
    ZooKeeperServer server = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), 500);
    ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 10);
    factory.startup(server);
    int port = factory.getLocalPort();
    try {
      Run up = status(port);
      assertThat(up.exit()).as(up.err()).isZero();
      assertThat(up.out()).isEqualTo("ZooKeeper on 127.0.0.1:" + port + " is serving (ruok: imok)\n");
    } finally {
      factory.shutdown();
      server.shutdown();
    }
    Run down = status(port);
    assertThat(down.exit()).isEqualTo(1);
    assertThat(down.err()).startsWith("No ZooKeeper on 127.0.0.1:" + port + ": nothing accepts connections there");
    assertThat(down.out()).isEmpty();
  }
}
