package io.brook.verticles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.vertx.core.eventbus.ReplyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker whose disk fills up (a real 4 MiB tmpfs) answers KAFKA_STORAGE_ERROR, keeps serving
 * reads, takes appends again once space is back, and keeps every acknowledged record across a
 * restart. Needs root to mount the tmpfs; skipped otherwise.
 */
@Tag("tmpfs")
class BrokerDiskFullTest {
  @TempDir
  Path mountPoint;
  boolean mounted;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint.toString())
        .redirectErrorStream(true).start();
    mounted = mount.waitFor() == 0;
    assumeThat(mounted).as("mounting a tmpfs needs root").isTrue();
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor();
    }
  }

  @Test
  void fullDiskFailsAppendsCleanlyAndLosesNothing() throws IOException {
    Path filler = mountPoint.resolve("filler");
    Files.write(filler, new byte[1024 * 1024]);
    Path dataDir = mountPoint.resolve("data");
    List<String> acked = new ArrayList<>();
    try (BrokerHarness broker = new BrokerHarness(dataDir)) {
      broker.calls.createTopic("full", 1, Map.of("segment.index.bytes", "65536", "segment.bytes", "1048576"));
      String value = "x".repeat(1000);
      Errors failure = null;
      for (int i = 0; i < 10_000 && failure == null; i++) {
        try {
          ProduceResponse response = broker.calls.produce("full", 0, i + ":" + value);
          assertThat(response.baseOffset()).isEqualTo(acked.size());
          acked.add(i + ":" + value);
        } catch (ReplyException e) {
          failure = Errors.forCode((short) e.failureCode());
        }
      }
      assertThat(failure).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
      assertThat(acked).hasSizeGreaterThan(100);
      assertThat(broker.calls.errorOf(Addresses.produce(BrokerHarness.NODE_ID),
          new ProduceRequest("full", 0, (short) 1, 5000, ProtocolCalls.batch("still full " + value))))
          .isEqualTo(Errors.KAFKA_STORAGE_ERROR);
      assertThat(broker.calls.readAll("full", 0, 0)).hasSize(acked.size()); // reads keep working

      Files.delete(filler); // space is back
      ProduceResponse after = broker.calls.produce("full", 0, "after");
      assertThat(after.baseOffset()).isEqualTo(acked.size());
      acked.add("after");

      broker.restart();
      List<String> log = broker.calls.readAll("full", 0, 0);
      assertThat(log).hasSize(acked.size());
      for (int offset = 0; offset < acked.size(); offset++) {
        assertThat(log.get(offset)).isEqualTo(offset + ":" + acked.get(offset));
      }
    }
  }
}
