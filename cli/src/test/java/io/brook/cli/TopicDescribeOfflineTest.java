package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code brook topics describe} shows offline replicas, as Kafka's kafka-topics does, only where there are some. */
class TopicDescribeOfflineTest {
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/topics/solo", exchange -> StubApi.answer(exchange, 200, """
        {"name":"solo","replicationFactor":2,"configOverrides":{},"configs":{},"partitions":[
         {"partition":0,"leader":-1,"leaderEpoch":3,"replicas":[2,1],"isr":[2],"logStartOffset":-1,"logEndOffset":-1,
          "highWatermark":-1,"sizeBytes":-1,"segments":0,"offlineReplicas":[2]},
         {"partition":1,"leader":1,"leaderEpoch":0,"replicas":[1,2],"isr":[1],"logStartOffset":0,"logEndOffset":5,
          "highWatermark":5,"sizeBytes":300,"segments":1,"offlineReplicas":[]}]}"""));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void offlineReplicasAreShownWhereThereAreSome() {
    StringWriter out = new StringWriter();
    CommandLine line = BrookCli.commandLine();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(new StringWriter(), true));
    int exit = line.execute("--bootstrap", "127.0.0.1:" + server.getAddress().getPort(), "topics", "describe", "solo");
    assertThat(exit).isZero();
    assertThat(out.toString().lines().toList()).containsExactly(
        "Topic: solo\tPartitionCount: 2\tReplicationFactor: 2\tConfigs: ",
        "\tTopic: solo\tPartition: 0\tLeader: -1\tReplicas: 2,1\tIsr: 2\tOffline: 2\tLogStartOffset: -1"
            + "\tHighWatermark: -1\tLogEndOffset: -1\tSize: -1\tSegments: 0",
        "\tTopic: solo\tPartition: 1\tLeader: 1\tReplicas: 1,2\tIsr: 1\tLogStartOffset: 0"
            + "\tHighWatermark: 5\tLogEndOffset: 5\tSize: 300\tSegments: 1");
  }
}
