package io.brook.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ZooKeeper server in a JVM of its own, listening only on a TLS client port on loopback
 * ({@code secureClientPort}, Netty) and requiring a client certificate signed by the trusted CA
 * ({@code ssl.clientAuth=need}): the zoo.cfg lines of docs/SECURITY.md. Its own JVM because ZooKeeper's
 * server turns its {@code ssl.*} settings into JVM-wide system properties, which would leak into the
 * ZooKeeper clients of the test JVM. Output in {@code dir/zookeeper.log}.
 */
public final class TlsZookeeperServer implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;

  private TlsZookeeperServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts a server with this PEM key store (key and certificate) and CA, and waits until its port accepts connections. */
  public static TlsZookeeperServer start(Path dir, Path keyStore, Path trustStore) throws IOException {
    int port = freePort();
    Files.createDirectories(dir.resolve("data"));
    Path config = dir.resolve("zoo.cfg");
    Files.writeString(config, String.join("\n",
        "tickTime=500",
        "minSessionTimeout=1000",
        "maxSessionTimeout=10000",
        "dataDir=" + dir.resolve("data"),
        "secureClientPort=" + port,
        "secureClientPortAddress=127.0.0.1",
        "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
        "authProvider.x509=org.apache.zookeeper.server.auth.X509AuthenticationProvider",
        "ssl.keyStore.location=" + keyStore,
        "ssl.keyStore.type=PEM",
        "ssl.trustStore.location=" + trustStore,
        "ssl.trustStore.type=PEM",
        "ssl.clientAuth=need",
        "admin.enableServer=false",
        "4lw.commands.whitelist=ruok",
        ""), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-Dzookeeper.admin.enableServer=false", "-Dzookeeper.jmx.log4j.disable=true"));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "org.apache.zookeeper.server.ZooKeeperServerMain", config.toString()));
    Path log = dir.resolve("zookeeper.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    TlsZookeeperServer server = new TlsZookeeperServer(process, log, port);
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(server::accepting);
    } catch (RuntimeException e) {
      server.close();
      throw new IllegalStateException("ZooKeeper did not start:\n" + server.output(), e);
    }
    return server;
  }

  /** {@code 127.0.0.1:port}: the certificates of bin/brook-certs name that address. */
  public String connectString() {
    return "127.0.0.1:" + port;
  }

  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable " + log + ")";
    }
  }

  private boolean accepting() {
    if (!process.isAlive()) {
      throw new IllegalStateException("ZooKeeper exited with " + process.exitValue() + ":\n" + output());
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
