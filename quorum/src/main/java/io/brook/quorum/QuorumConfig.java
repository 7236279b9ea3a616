package io.brook.quorum;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The metadata quorum's knobs, with KRaft's key names where KRaft has the knob. Every key is
 * declared once, in {@link #CONFIG_DEF}. Immutable.
 */
public final class QuorumConfig {
  public static final String FETCH_TIMEOUT_MS_CONFIG = "controller.quorum.fetch.timeout.ms";
  public static final String ELECTION_TIMEOUT_MS_CONFIG = "controller.quorum.election.timeout.ms";
  public static final String ELECTION_BACKOFF_MAX_MS_CONFIG = "controller.quorum.election.backoff.max.ms";
  public static final String REQUEST_TIMEOUT_MS_CONFIG = "controller.quorum.request.timeout.ms";
  public static final String FETCH_MAX_WAIT_MS_CONFIG = "controller.quorum.fetch.max.wait.ms";
  public static final String FETCH_MAX_BYTES_CONFIG = "controller.quorum.fetch.max.bytes";
  public static final String RETRY_BACKOFF_MS_CONFIG = "controller.quorum.retry.backoff.ms";
  public static final String QUORUM_SIZE_CONFIG = "controller.quorum.size";
  public static final String BOOTSTRAP_LISTEN_MS_CONFIG = "controller.quorum.bootstrap.listen.ms";
  public static final String BOOTSTRAP_FOUNDER_ID_CONFIG = "controller.quorum.bootstrap.founder.id";

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(FETCH_TIMEOUT_MS_CONFIG, Type.LONG, 2_000L, atLeast(100), Importance.HIGH,
          "A voter that has had no successful fetch from the leader for this long (or whose leader the cluster "
              + "manager saw leave) starts an election; a leader without fetches from a majority for 1.5 times "
              + "this long resigns, and acts as controller only while a majority fetched within this long.")
      .define(ELECTION_TIMEOUT_MS_CONFIG, Type.LONG, 1_000L, atLeast(10), Importance.HIGH,
          "How long a voter without a leader waits (plus a random share of it) before it campaigns, and how "
              + "long a campaign lasts before it is tried again.")
      .define(ELECTION_BACKOFF_MAX_MS_CONFIG, Type.LONG, 1_000L, atLeast(0), Importance.MEDIUM,
          "The largest random pause before a failed campaign is tried again, so that candidates do not keep "
              + "splitting the vote.")
      .define(REQUEST_TIMEOUT_MS_CONFIG, Type.LONG, 2_000L, atLeast(10), Importance.MEDIUM,
          "How long a vote request may go unanswered.")
      .define(FETCH_MAX_WAIT_MS_CONFIG, Type.LONG, 500L, atLeast(0), Importance.MEDIUM,
          "Brook: how long the leader holds a fetch that has nothing new (long poll). Must stay well below "
              + FETCH_TIMEOUT_MS_CONFIG + ".")
      .define(FETCH_MAX_BYTES_CONFIG, Type.INT, 1 << 20, atLeast(1024), Importance.LOW,
          "Brook: the most bytes of metadata log one fetch returns (at least one whole batch).")
      .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, 100L, atLeast(0), Importance.LOW,
          "Pause after a failed fetch before the next one.")
      .define(QUORUM_SIZE_CONFIG, Type.INT, 3, between(1, 7), Importance.HIGH,
          "Brook: how many brokers the controller makes voters of the metadata quorum, one at a time as they "
              + "register and catch up. A record is committed once a majority of the voters have it on disk; "
              + "with 3 voters one may fail, with 5 two. The first broker of a new cluster is a quorum of one.")
      .define(BOOTSTRAP_LISTEN_MS_CONFIG, Type.LONG, 2_000L, atLeast(0), Importance.LOW,
          "Brook: a broker with an empty metadata log listens this long for an existing cluster before it "
              + "founds a new one (and founds one only while it holds the cluster manager's bootstrap lock).")
      .define(BOOTSTRAP_FOUNDER_ID_CONFIG, Type.INT, 1, atLeast(0), Importance.MEDIUM,
          "Brook: the node.id of the one broker that may found a new cluster, as Kafka formats one controller with "
              + "kafka-storage format --standalone. Every other broker with an empty metadata log waits until it hears "
              + "of a cluster and joins it, so brokers started together never found two clusters, even when one is "
              + "cut off from the others at that moment. Set it on every broker when the first broker is not node 1.");

  private final Map<String, Object> parsed;

  public QuorumConfig(Map<String, ?> values) {
    for (String key : values.keySet()) {
      if (!CONFIG_DEF.names().contains(key)) {
        throw new ConfigException(key, values.get(key), "Unknown quorum config name");
      }
    }
    this.parsed = CONFIG_DEF.parse(values);
    if (fetchMaxWaitMs() >= fetchTimeoutMs()) {
      throw new ConfigException(FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs(), "must be below " + FETCH_TIMEOUT_MS_CONFIG);
    }
  }

  public static QuorumConfig defaults() {
    return new QuorumConfig(Map.of());
  }

  public long fetchTimeoutMs() {
    return (Long) parsed.get(FETCH_TIMEOUT_MS_CONFIG);
  }

  public long electionTimeoutMs() {
    return (Long) parsed.get(ELECTION_TIMEOUT_MS_CONFIG);
  }

  public long electionBackoffMaxMs() {
    return (Long) parsed.get(ELECTION_BACKOFF_MAX_MS_CONFIG);
  }

  public long requestTimeoutMs() {
    return (Long) parsed.get(REQUEST_TIMEOUT_MS_CONFIG);
  }

  public long fetchMaxWaitMs() {
    return (Long) parsed.get(FETCH_MAX_WAIT_MS_CONFIG);
  }

  public int fetchMaxBytes() {
    return (Integer) parsed.get(FETCH_MAX_BYTES_CONFIG);
  }

  public long retryBackoffMs() {
    return (Long) parsed.get(RETRY_BACKOFF_MS_CONFIG);
  }

  public int quorumSize() {
    return (Integer) parsed.get(QUORUM_SIZE_CONFIG);
  }

  public long bootstrapListenMs() {
    return (Long) parsed.get(BOOTSTRAP_LISTEN_MS_CONFIG);
  }

  public int bootstrapFounderId() {
    return (Integer) parsed.get(BOOTSTRAP_FOUNDER_ID_CONFIG);
  }
}
