package io.brook.verticles.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A partition directory is always directly inside data.dir, whatever name reaches it. */
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
}
