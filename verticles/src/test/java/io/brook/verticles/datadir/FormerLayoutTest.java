package io.brook.verticles.datadir;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.quorum.MetaProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose new data directory is empty while its parent holds this node's data in the former
 * layout (data/ instead of data/node-1) is refused with the command that moves the data over.
 */
class FormerLayoutTest {
  @TempDir
  Path root;

  @Test
  void node1OnAnEmptyDataNode1BesideItsOldDataIsToldHowToMoveIt() throws Exception {
    Path data = root.resolve("data");
    MetaProperties.loadOrCreate(data, 1);
    Files.createDirectories(data.resolve("__cluster_metadata-0"));
    Files.createDirectories(data.resolve("demo-0"));
    MetaProperties.loadOrCreate(data.resolve("node-2"), 2); // node 2's own directory stays where it is
    Files.createDirectories(data.resolve("zookeeper"));

    assertThatThrownBy(() -> FormerLayout.throwIfDataIsInParent(data.resolve("node-1"), 1))
        .hasMessage("data dir " + data.resolve("node-1") + " is new, but " + data + " holds node 1's data (the layout"
            + " before data/node-N): stop every node and move it with: cd " + data + " && mkdir -p node-1 && mv"
            + " __cluster_metadata-0 demo-0 meta.properties node-1/   (or start this node on " + data + " as its data dir)");
  }

  @Test
  void anotherNodesDataInTheParentOrADataDirInUseIsNoReasonToRefuse() throws Exception {
    Path data = root.resolve("data");
    MetaProperties.loadOrCreate(data, 1);
    assertThatCode(() -> FormerLayout.throwIfDataIsInParent(data.resolve("node-2"), 2)).doesNotThrowAnyException();
    MetaProperties.loadOrCreate(data.resolve("node-1"), 1);
    assertThatCode(() -> FormerLayout.throwIfDataIsInParent(data.resolve("node-1"), 1)).doesNotThrowAnyException();
    assertThatCode(() -> FormerLayout.throwIfDataIsInParent(root.resolve("fresh"), 1)).doesNotThrowAnyException();
  }
}
