package io.brook.verticles.quorum;

import io.brook.quorum.MetaProperties;
import io.brook.storage.PartitionLog;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.metadata.MetadataTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a broker keeps its metadata log, and the identity checks that go with it. By default
 * ({@code metadata.log.dir} empty) the metadata log {@code __cluster_metadata-0} lies inside
 * {@code data.dir}, with the one {@code meta.properties} of that directory, as before the key
 * existed. With {@code metadata.log.dir} set, that directory holds the metadata log and a
 * {@code meta.properties} of its own, and {@code data.dir} keeps its own too (Kafka keeps one in
 * every log directory).
 *
 * <p>The metadata directory's {@code meta.properties} is the quorum replica's identity: its
 * directory id is the one in the voter key, because it names the disk holding the log this replica
 * voted with. Moved whole (log, {@code quorum-state} and {@code meta.properties}), it stays the same
 * replica; replaced by an empty directory, it gets a new directory id, so the quorum sees a new
 * replica, never a voter that forgot its votes.
 *
 * <p>Invariants checked at start, each refused with one line: both directories belong to this node
 * id; both belong to the same cluster (an empty metadata log takes the data directory's cluster id,
 * {@link #adoptDataDirCluster}); {@code data.dir} holds no metadata log of its own when the metadata log
 * is elsewhere (two logs, one of them stale, would be a guess); a separate metadata directory holding
 * a log has its {@code meta.properties}; and it does not lie inside {@code data.dir}. Used on the
 * quorum's thread only.
 */
public final class MetadataLogDir {
  private static final System.Logger LOG = System.getLogger(MetadataLogDir.class.getName());
  /** The metadata log's directory inside the metadata directory. */
  public static final String LOG_DIR_NAME = MetadataTopic.NAME + "-0";

  private final int nodeId;
  private final Path dataDir;
  private final Path dir;
  private Optional<String> dataDirClusterId = Optional.empty();

  public MetadataLogDir(int nodeId, Path dataDir, Path metadataDir) {
    this.nodeId = nodeId;
    this.dataDir = dataDir;
    this.dir = metadataDir;
  }

  /** True when {@code metadata.log.dir} names a directory other than {@code data.dir}. */
  public boolean separate() {
    return !normalized(dir).equals(normalized(dataDir));
  }

  /** The directory holding {@code meta.properties} for the quorum. */
  public Path dir() {
    return dir;
  }

  /** The metadata log's own directory, {@code __cluster_metadata-0}. */
  public Path logDir() {
    return dir.resolve(LOG_DIR_NAME);
  }

  /**
   * Checks both directories (see the class comment) and answers the metadata directory's
   * {@code meta.properties}, made on first use.
   */
  public MetaProperties open() throws IOException {
    if (!separate()) {
      throwIfLogWithoutQuorum();
      return MetaProperties.loadOrCreate(dataDir, nodeId, BrokerConfig.DATA_DIR);
    }
    if (normalized(dir).startsWith(normalized(dataDir))) {
      throw new IllegalStateException(BrokerConfig.METADATA_LOG_DIR + " " + dir + " lies inside " + BrokerConfig.DATA_DIR
          + " " + dataDir + ": give the metadata log a directory of its own, ideally on another disk");
    }
    if (Files.exists(dataDir.resolve(LOG_DIR_NAME))) {
      throw new IllegalStateException(BrokerConfig.DATA_DIR + " " + dataDir + " holds a metadata log (" + LOG_DIR_NAME
          + ") but " + BrokerConfig.METADATA_LOG_DIR + " is " + dir + ": move " + dataDir.resolve(LOG_DIR_NAME) + " and "
          + dataDir.resolve(MetaProperties.NAME) + " into " + dir + " (or unset " + BrokerConfig.METADATA_LOG_DIR + ")");
    }
    if (!Files.exists(dir.resolve(MetaProperties.NAME)) && Files.isDirectory(logDir())) {
      throw new IllegalStateException(BrokerConfig.METADATA_LOG_DIR + " " + dir + " holds a metadata log but no "
          + MetaProperties.NAME + ": move the " + MetaProperties.NAME + " of the directory that log came from next to it");
    }
    MetaProperties data = MetaProperties.loadOrCreate(dataDir, nodeId, BrokerConfig.DATA_DIR);
    MetaProperties meta = MetaProperties.loadOrCreate(dir, nodeId, BrokerConfig.METADATA_LOG_DIR);
    if (data.clusterId().isPresent() && meta.clusterId().isPresent()
        && !data.clusterId().get().equals(meta.clusterId().get())) {
      throw new IllegalStateException(BrokerConfig.METADATA_LOG_DIR + " " + dir + " belongs to cluster "
          + meta.clusterId().get() + " but " + BrokerConfig.DATA_DIR + " " + dataDir + " to cluster "
          + data.clusterId().get() + ": give node " + nodeId + " the metadata directory of its own cluster");
    }
    if (meta.clusterId().isPresent() && data.clusterId().isEmpty()) {
      recordInDataDir(meta.clusterId().get()); // a crash (or a full data disk) between the two writes of a join
    }
    dataDirClusterId = data.clusterId();
    return meta;
  }

  /**
   * For a metadata log that is empty and belongs to no cluster yet: the cluster {@code data.dir}
   * belongs to, recorded in the metadata directory, so a broker whose metadata disk was replaced
   * rejoins its own cluster and never founds another beside its data. Else {@code meta} unchanged.
   */
  public MetaProperties adoptDataDirCluster(MetaProperties meta) throws IOException {
    if (!separate() || meta.clusterId().isPresent() || dataDirClusterId.isEmpty()) {
      return meta;
    }
    MetaProperties adopted = meta.withClusterId(dataDirClusterId.get());
    adopted.write(dir);
    return adopted;
  }

  /**
   * Records the cluster this broker founded or joined: in the metadata directory (which must
   * succeed), then in data.dir, where a failure (a full data disk) is only a warning: the metadata
   * directory is the truth, and the next start copies the cluster id over.
   */
  public MetaProperties recordClusterId(MetaProperties meta, String clusterId) throws IOException {
    MetaProperties joined = meta.withClusterId(clusterId);
    joined.write(dir);
    if (separate()) {
      recordInDataDir(clusterId);
    }
    return joined;
  }

  /**
   * Forgets cluster {@code clusterId} (a lone founding given up, {@link LoneFounding}): the metadata
   * log and its election state are removed and both {@code meta.properties} lose the cluster id, so the
   * next start is a new broker's, which joins the cluster it hears of. The cluster id goes first: a
   * crash halfway leaves a log without a cluster, which the next start empties. A directory of another
   * cluster is left alone. Only while no broker runs on these directories.
   */
  public void forgetCluster(String clusterId) throws IOException {
    MetaProperties meta = MetaProperties.loadOrCreate(dir, nodeId, separate() ? BrokerConfig.METADATA_LOG_DIR
        : BrokerConfig.DATA_DIR);
    if (!meta.clusterId().equals(Optional.of(clusterId))) {
      throw new IllegalStateException(dir + " belongs to cluster " + meta.clusterId().orElse("(none)") + ", not "
          + clusterId + ": nothing forgotten");
    }
    meta.withoutClusterId().write(dir);
    if (separate()) {
      MetaProperties data = MetaProperties.loadOrCreate(dataDir, nodeId, BrokerConfig.DATA_DIR);
      if (data.clusterId().equals(Optional.of(clusterId))) {
        data.withoutClusterId().write(dataDir);
      }
    }
    PartitionLog.delete(logDir());
  }

  private void recordInDataDir(String clusterId) {
    try {
      MetaProperties data = MetaProperties.loadOrCreate(dataDir, nodeId, BrokerConfig.DATA_DIR);
      if (!data.clusterId().equals(Optional.of(clusterId))) {
        data.withClusterId(clusterId).write(dataDir);
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot record cluster id " + clusterId + " in " + dataDir.resolve(
          MetaProperties.NAME) + " (" + e + "); the metadata directory " + dir + " has it, the next start retries");
    }
  }

  private void throwIfLogWithoutQuorum() {
    if (!Files.exists(dataDir.resolve(MetaProperties.NAME)) && Files.isDirectory(logDir())) {
      throw new IllegalStateException("The data directory " + dataDir + " holds a metadata log written by a Brook "
          + "without the metadata quorum (no " + MetaProperties.NAME + "): its topics cannot be carried over. Move the "
          + "directory away (or delete it) to start this broker afresh, or give it another data.dir");
    }
  }

  private static Path normalized(Path path) {
    return path.toAbsolutePath().normalize();
  }

  @Override
  public String toString() {
    return separate() ? dir + " (" + BrokerConfig.METADATA_LOG_DIR + ")" : dir + " (" + BrokerConfig.DATA_DIR + ")";
  }
}
