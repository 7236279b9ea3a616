package io.brook.verticles;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.QuorumDescription;
import io.brook.protocol.message.TopicListing;
import io.brook.quorum.MetaProperties;
import io.brook.storage.Time;
import io.brook.verticles.quorum.QuorumRequests;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code metadata.log.dir} on another disk, a full data disk (a real 4 MiB tmpfs filled to its
 * last page) does not stop metadata: topics are still created, the metadata log keeps committing,
 * and the broker restarts on the full data disk with everything it had. Needs root to mount the
 * tmpfs; skipped otherwise.
 */
@Tag("tmpfs")
class MetadataLogDirDiskFullTest {
  @TempDir
  Path mountPoint;
  @TempDir
  Path otherDisk;
  SmallTmpfs disk;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = SmallTmpfs.mount(mountPoint);
  }

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) {
      disk.close();
    }
  }

  @Test
  void metadataKeepsCommittingWhileTheDataDiskIsFull() throws IOException {
    Path dataDir = mountPoint.resolve("data");
    Path metadataDir = otherDisk.resolve("metadata");
    Map<String, Object> config = Map.of(BrokerConfig.METADATA_LOG_DIR, metadataDir.toString(),
        "log.flush.scheduler.interval.ms", 100L);
    try (BrokerHarness broker = new BrokerHarness(dataDir, config, Time.SYSTEM)) {
      broker.calls.createTopic("before", 1, Map.of());
      assertThat(broker.calls.produce("before", 0, "a", "b").baseOffset()).isZero();
      assertThat(dataDir.resolve("__cluster_metadata-0")).doesNotExist();
      assertThat(metadataDir.resolve("__cluster_metadata-0")).isDirectory();
      String directoryId = MetaProperties.loadOrCreate(metadataDir, BrokerHarness.NODE_ID).directoryId();
      assertThat(quorum(broker).replicas()).anySatisfy(r -> assertThat(r.directoryId()).isEqualTo(directoryId));

      Path ballast = fillToTheLastPage(dataDir);
      long committed = quorum(broker).highWatermark();
      for (int i = 0; i < 3; i++) {
        broker.calls.createTopic("during-" + i, 1, Map.of());
      }
      assertThat(quorum(broker).highWatermark()).as("metadata commits on").isGreaterThan(committed);
      assertThat(Files.getFileStore(mountPoint).getUsableSpace()).as("the data disk is still full").isZero();
      assertThat(topics(broker)).containsExactlyInAnyOrder("before", "during-0", "during-1", "during-2");
      Path topicIdFile = dataDir.resolve("during-0-0").resolve("partition.metadata");
      assertThat(topicIdFile).as("no room for the topic id yet").doesNotExist();

      broker.restart(); // on the full data disk
      assertThat(topics(broker)).containsExactlyInAnyOrder("before", "during-0", "during-1", "during-2");
      assertThat(broker.calls.readAll("before", 0, 0)).containsExactly("0:a", "1:b");

      Files.delete(ballast);
      Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> broker.calls.produce("during-0", 0, "after").baseOffset() == 0);
      // written once there is room, without waiting for the next start
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(topicIdFile).content().startsWith("version: 0\ntopic_id: "));
      assertThat(MetaProperties.loadOrCreate(dataDir, BrokerHarness.NODE_ID).clusterId())
          .isEqualTo(MetaProperties.loadOrCreate(metadataDir, BrokerHarness.NODE_ID).clusterId()).isPresent();
    }
  }

  private static QuorumDescription quorum(BrokerHarness broker) {
    return broker.vertx.eventBus().<QuorumDescription>request(Addresses.LOCAL_QUORUM_DESCRIBE,
        new QuorumRequests.Describe(), new DeliveryOptions().setLocalOnly(true)).await().body();
  }

  private static List<String> topics(BrokerHarness broker) {
    ListTopicsResponse list = broker.calls.request(Addresses.LIST_TOPICS, new ListTopicsRequest(false));
    return list.topics().stream().map(TopicListing::name).toList();
  }

  /** Fills the disk under {@code dir} until the kernel says ENOSPC; deleting the answer frees it. */
  private Path fillToTheLastPage(Path dir) throws IOException {
    Path ballast = dir.resolve("ballast");
    try (OutputStream out = Files.newOutputStream(ballast)) {
      for (int i = 0; i < 4096; i++) {
        out.write(new byte[4096]);
        out.flush();
      }
    } catch (IOException expected) {
      // ENOSPC
    }
    assertThat(Files.getFileStore(mountPoint).getUsableSpace()).as("usable bytes").isZero();
    return ballast;
  }
}
