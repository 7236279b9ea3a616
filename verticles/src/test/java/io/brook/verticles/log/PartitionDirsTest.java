package io.brook.verticles.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition directory is always directly inside data.dir, whatever name reaches it; it belongs to
 * one incarnation of its topic (partition.metadata), and directories no hosted replica owns are removed.
 */
class PartitionDirsTest {
  @TempDir
  Path dataDir;

  @Test
  void legalNamesGetTheirDirectoryInsideDataDir() {
    PartitionDirs dirs = new PartitionDirs(dataDir);
    assertThat(dirs.dir(new TopicPartition("orders.v2_eu-1", 3))).isEqualTo(dataDir.resolve("orders.v2_eu-1-3"));
    assertThat(dirs.dir(new TopicPartition("__cluster_metadata", 0)).getParent()).isEqualTo(dataDir);
  }

  @Test
  void namesThatWouldLeaveDataDirAreRefused() {
    PartitionDirs dirs = new PartitionDirs(dataDir);
    for (String name : List.of("../bf-escaped", "..", ".", "a/b", "/etc", "a\\b", "", "x".repeat(250))) {
      assertThatThrownBy(() -> dirs.dir(new TopicPartition(name, 0))).as(name)
          .isInstanceOf(KafkaStorageException.class).hasMessageContaining("Refusing a directory");
    }
  }

  @Test
  void aDirectoryOfADeletedIncarnationIsRemovedNotReused() throws Exception {
    // proves: topic deleted and re-created under the same name while the broker was down: the old log goes
    PartitionDirs dirs = new PartitionDirs(dataDir);
    TopicPartition tp = new TopicPartition("orders", 0);
    Uuid old = Uuid.randomUuid();
    Uuid current = Uuid.randomUuid();
    dirs.claim(tp, old);
    Files.writeString(dirs.dir(tp).resolve("00000000000000000000.log"), "old records");
    dirs.claim(tp, old); // the same incarnation keeps its data
    assertThat(dirs.dir(tp).resolve("00000000000000000000.log")).exists();

    dirs.claim(tp, current);
    assertThat(dirs.dir(tp)).isDirectory();
    assertThat(dirs.dir(tp).resolve("00000000000000000000.log")).doesNotExist();
    assertThat(PartitionMetadataFile.read(dirs.dir(tp))).contains(current);
    assertThat(Files.readString(dirs.dir(tp).resolve(PartitionMetadataFile.NAME))).isEqualTo("version: 0\ntopic_id: "
        + current + "\n");
  }

  @Test
  void aDirectoryFromBeforePartitionMetadataOrWithAnUnreadableOneIsKept() throws Exception {
    // proves: nothing is lost for lack of the file: the directory is adopted and the file written
    PartitionDirs dirs = new PartitionDirs(dataDir);
    TopicPartition tp = new TopicPartition("legacy", 1);
    Files.createDirectories(dirs.dir(tp));
    Files.writeString(dirs.dir(tp).resolve("00000000000000000000.log"), "records");
    Uuid id = Uuid.randomUuid();
    dirs.claim(tp, id);
    assertThat(dirs.dir(tp).resolve("00000000000000000000.log")).exists();
    assertThat(PartitionMetadataFile.read(dirs.dir(tp))).contains(id);

    Files.writeString(dirs.dir(tp).resolve(PartitionMetadataFile.NAME), "garbage");
    dirs.claim(tp, id);
    assertThat(dirs.dir(tp).resolve("00000000000000000000.log")).exists();
    assertThat(PartitionMetadataFile.read(dirs.dir(tp))).contains(id);
  }

  @Test
  void straysAreRemovedAndEverythingElseLeftAlone() throws Exception {
    // proves: only partition-like directories no hosted replica owns go; the metadata log and files stay
    PartitionDirs dirs = new PartitionDirs(dataDir);
    for (String name : List.of("kept-0", "gone-0", "gone-12", "__cluster_metadata-0", "not a partition")) {
      Files.createDirectories(dataDir.resolve(name));
    }
    Files.writeString(dataDir.resolve("meta.properties"), "x");
    assertThat(dirs.removeStrays(Set.of("kept-0"), Set.of("__cluster_metadata-0")))
        .containsExactlyInAnyOrder(dataDir.resolve("gone-0"), dataDir.resolve("gone-12"));
    try (var left = Files.list(dataDir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "kept-0", "__cluster_metadata-0", "not a partition", "meta.properties");
    }
  }
}
