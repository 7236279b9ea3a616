package io.brook.verticles.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.quorum.MetaProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata directory's identity rules: the default keeps today's layout, a separate
 * metadata.log.dir carries the quorum's directory id, and a directory of another node or cluster,
 * or an ambiguous pair of directories, is refused with one line.
 */
class MetadataLogDirTest {
  @TempDir
  Path root;

  private Path data() {
    return root.resolve("data");
  }

  private Path meta() {
    return root.resolve("meta");
  }

  @Test
  void byDefaultTheMetadataLogAndItsIdentityStayInsideTheDataDirectory() throws IOException {
    MetadataLogDir dirs = new MetadataLogDir(1, data(), data());
    MetaProperties identity = dirs.open();
    assertThat(dirs.separate()).isFalse();
    assertThat(dirs.logDir()).isEqualTo(data().resolve("__cluster_metadata-0"));
    assertThat(MetaProperties.loadOrCreate(data(), 1)).isEqualTo(identity);
    assertThat(dirs.recordClusterId(identity, "c1").clusterId()).contains("c1");
    assertThat(MetaProperties.loadOrCreate(data(), 1).clusterId()).contains("c1");
    assertThat(new MetadataLogDir(1, data(), root.resolve("x/../data")).separate()).isFalse();
  }

  @Test
  void aSeparateMetadataDirectoryHasItsOwnIdAndBothRecordTheCluster() throws IOException {
    MetadataLogDir dirs = new MetadataLogDir(1, data(), meta());
    MetaProperties identity = dirs.open();
    assertThat(dirs.logDir()).isEqualTo(meta().resolve("__cluster_metadata-0"));
    MetaProperties dataMeta = MetaProperties.loadOrCreate(data(), 1);
    assertThat(identity.directoryId()).isNotEqualTo(dataMeta.directoryId());
    assertThat(MetaProperties.loadOrCreate(meta(), 1)).isEqualTo(identity);

    dirs.recordClusterId(identity, "c1");
    assertThat(MetaProperties.loadOrCreate(meta(), 1).clusterId()).contains("c1");
    assertThat(MetaProperties.loadOrCreate(data(), 1).clusterId()).contains("c1");
  }

  @Test
  void aMetadataDirectoryMovedWholeIsTheSameReplica() throws IOException {
    MetadataLogDir dirs = new MetadataLogDir(1, data(), meta());
    MetaProperties identity = dirs.recordClusterId(dirs.open(), "c1");
    Files.createDirectories(dirs.logDir());
    Files.writeString(dirs.logDir().resolve("00000000000000000000.log"), "x");
    Path moved = root.resolve("other-disk/meta");
    Files.createDirectories(moved.getParent());
    Files.move(meta(), moved);

    assertThat(new MetadataLogDir(1, data(), moved).open()).isEqualTo(identity);
  }

  @Test
  void anEmptyMetadataDirectoryIsANewReplicaOfTheDataDirectorysCluster() throws IOException {
    MetadataLogDir dirs = new MetadataLogDir(1, data(), meta());
    MetaProperties before = dirs.recordClusterId(dirs.open(), "c1");
    Path replaced = root.resolve("new-disk");

    MetadataLogDir fresh = new MetadataLogDir(1, data(), replaced);
    MetaProperties opened = fresh.open();
    assertThat(opened.clusterId()).isEmpty();
    MetaProperties adopted = fresh.adoptDataDirCluster(opened);
    assertThat(adopted.clusterId()).contains("c1");
    assertThat(adopted.directoryId()).isNotEqualTo(before.directoryId());
    assertThat(MetaProperties.loadOrCreate(replaced, 1)).isEqualTo(adopted);
  }

  @Test
  void theDataDirectoryLearnsTheClusterAtTheNextStartWhenItsWriteWasMissed() throws IOException {
    MetaProperties.loadOrCreate(data(), 1);
    MetaProperties.loadOrCreate(meta(), 1).withClusterId("c1").write(meta());

    new MetadataLogDir(1, data(), meta()).open();
    assertThat(MetaProperties.loadOrCreate(data(), 1).clusterId()).contains("c1");
  }

  @Test
  void aMetadataDirectoryOfAnotherNodeIsRefused() throws IOException {
    new MetadataLogDir(2, root.resolve("data-2"), meta()).open();
    assertRefused(new MetadataLogDir(1, data(), meta()), "metadata.log.dir directory " + meta() + " belongs to node 2");
  }

  @Test
  void aMetadataDirectoryOfAnotherClusterIsRefused() throws IOException {
    MetaProperties.loadOrCreate(data(), 1).withClusterId("c1").write(data());
    MetaProperties.loadOrCreate(meta(), 1).withClusterId("c2").write(meta());
    assertRefused(new MetadataLogDir(1, data(), meta()), "belongs to cluster c2 but data.dir");
  }

  @Test
  void aDataDirectoryStillHoldingAMetadataLogIsRefusedWhenTheMetadataLogIsElsewhere() throws IOException {
    MetadataLogDir inside = new MetadataLogDir(1, data(), data());
    inside.recordClusterId(inside.open(), "c1");
    Files.createDirectories(inside.logDir());
    assertRefused(new MetadataLogDir(1, data(), meta()), "holds a metadata log (__cluster_metadata-0) but");
  }

  @Test
  void aMetadataLogWithoutItsMetaPropertiesIsRefused() throws IOException {
    Files.createDirectories(meta().resolve("__cluster_metadata-0"));
    assertRefused(new MetadataLogDir(1, data(), meta()), "holds a metadata log but no meta.properties");
  }

  @Test
  void aMetadataDirectoryInsideTheDataDirectoryIsRefused() {
    assertRefused(new MetadataLogDir(1, data(), data().resolve("meta")), "lies inside data.dir");
  }

  @Test
  void theDefaultStillRefusesALogWrittenWithoutTheQuorum() throws IOException {
    Files.createDirectories(data().resolve("__cluster_metadata-0"));
    assertRefused(new MetadataLogDir(1, data(), data()), "without the metadata quorum");
    assertThat(new MetadataLogDir(1, data(), data()).adoptDataDirCluster(
        new MetaProperties(1, "d", Optional.empty())).clusterId()).isEmpty();
  }

  private static void assertRefused(MetadataLogDir dirs, String reason) {
    assertThatThrownBy(dirs::open).hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
  }

  @Test
  void forgettingAClusterLeavesANewBrokersDirectoriesWithTheirIds() throws IOException {
    MetadataLogDir dirs = new MetadataLogDir(1, data(), meta());
    MetaProperties identity = dirs.recordClusterId(dirs.open(), "lone");
    Files.createDirectories(dirs.logDir());
    Files.writeString(dirs.logDir().resolve("quorum-state"), "epoch=1");
    assertThatThrownBy(() -> dirs.forgetCluster("other")).hasMessageContaining("belongs to cluster lone");
    assertThat(dirs.logDir()).exists();

    dirs.forgetCluster("lone");

    assertThat(dirs.logDir()).doesNotExist();
    assertThat(MetaProperties.loadOrCreate(meta(), 1)).isEqualTo(identity.withoutClusterId());
    assertThat(MetaProperties.loadOrCreate(data(), 1).clusterId()).isEmpty();
    assertThat(new MetadataLogDir(1, data(), meta()).open()).isEqualTo(identity.withoutClusterId());
  }
}
