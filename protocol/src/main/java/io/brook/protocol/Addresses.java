package io.brook.protocol;

import java.util.regex.Pattern;

/**
 * Every event bus address Brook uses, in one place.
 *
 * <p>Three families:
 * <ul>
 *   <li>{@code brook.api.*}: client addresses. Reachable from outside the cluster through the TCP
 *       event bus bridge ({@link #CLIENT_ADDRESS_PATTERN}). Cluster-wide ones are served by every
 *       broker (round robin); per-broker ones carry the broker's {@code node.id}, since a partition
 *       is served by its leader only.</li>
 *   <li>{@code brook.internal.*}: broker-to-broker addresses (replication, controller). Never
 *       permitted on a bridge.</li>
 *   <li>{@code brook.local.*}: addresses registered with {@code localConsumer}, visible only inside
 *       one broker JVM (partition leader and log verticles).</li>
 * </ul>
 * docs/PROTOCOL.md lists the message bodies of each address.
 */
public final class Addresses {
  private Addresses() {}

  public static final String PREFIX = "brook.";

  /** Cluster metadata: brokers, topics, partition leaders. Any broker answers. */
  public static final String METADATA = "brook.api.metadata";

  public static final String CREATE_TOPIC = "brook.api.admin.create-topic";
  public static final String DELETE_TOPIC = "brook.api.admin.delete-topic";
  public static final String LIST_TOPICS = "brook.api.admin.list-topics";
  public static final String DESCRIBE_TOPIC = "brook.api.admin.describe-topic";
  public static final String ALTER_CONFIGS = "brook.api.admin.alter-configs";
  public static final String CREATE_PARTITIONS = "brook.api.admin.create-partitions";
  public static final String ELECT_LEADERS = "brook.api.admin.elect-leaders";
  public static final String REASSIGN_PARTITION = "brook.api.admin.reassign-partition";
  public static final String LIST_REASSIGNMENTS = "brook.api.admin.list-reassignments";
  public static final String DESCRIBE_CLUSTER = "brook.api.admin.describe-cluster";
  public static final String UNREGISTER_BROKER = "brook.api.admin.unregister-broker";
  public static final String DESCRIBE_USERS = "brook.api.admin.describe-users";
  public static final String UPSERT_USER = "brook.api.admin.upsert-user";
  public static final String DELETE_USER = "brook.api.admin.delete-user";
  public static final String DESCRIBE_ACLS = "brook.api.admin.describe-acls";
  public static final String CREATE_ACLS = "brook.api.admin.create-acls";
  public static final String DELETE_ACLS = "brook.api.admin.delete-acls";

  /** Which broker coordinates a consumer group ({@code FindCoordinatorRequest}). Any broker answers. */
  public static final String FIND_COORDINATOR = "brook.api.find-coordinator";

  /**
   * A new producer id for an idempotent producer ({@code InitProducerIdRequest}). Any broker answers, from
   * the block of ids the controller gave it.
   */
  public static final String INIT_PRODUCER_ID = "brook.api.init-producer-id";

  /** Produce to a partition whose leader is {@code nodeId}. */
  public static String produce(int nodeId) {
    return "brook.api.broker." + nodeId + ".produce";
  }

  /** Fetch from a partition whose leader is {@code nodeId}. */
  public static String fetch(int nodeId) {
    return "brook.api.broker." + nodeId + ".fetch";
  }

  /**
   * Metadata from broker {@code nodeId} in particular (same body and answer as {@link #METADATA}): a
   * client that knows the brokers asks a live one, so a request never waits on a dead broker.
   */
  public static String metadata(int nodeId) {
    return "brook.api.broker." + nodeId + ".metadata";
  }

  /** Look up an offset by timestamp (or earliest/latest) on the leader {@code nodeId}. */
  public static String listOffsets(int nodeId) {
    return "brook.api.broker." + nodeId + ".list-offsets";
  }

  /** Where a leader epoch ends ({@code OffsetForLeaderEpochRequest}), at the leader {@code nodeId}. */
  public static String offsetForLeaderEpoch(int nodeId) {
    return "brook.api.broker." + nodeId + ".offset-for-leader-epoch";
  }

  /** Delete records (move the log start offset) of partitions led by {@code nodeId}. */
  public static String deleteRecords(int nodeId) {
    return "brook.api.broker." + nodeId + ".delete-records";
  }

  /** Broker {@code nodeId}'s log directories and the sizes of the partitions in them ({@code DescribeLogDirsRequest}). */
  public static String describeLogDirs(int nodeId) {
    return "brook.api.broker." + nodeId + ".describe-log-dirs";
  }

  /** What a bridge may let in and out: the client addresses, nothing internal or local. */
  public static final String CLIENT_ADDRESS_REGEX =
      "brook\\.api\\.(metadata|find-coordinator|admin\\.[a-z-]+|broker\\.[0-9]+\\.(produce|fetch|list-offsets|delete-records|metadata|describe-log-dirs|"
          + GroupApi.SUFFIX_REGEX + "))";

  public static final Pattern CLIENT_ADDRESS_PATTERN = Pattern.compile(CLIENT_ADDRESS_REGEX);

  /**
   * Header of a controller's answer on {@code brook.internal.broker.<id>.controller}: the offset of the
   * metadata log the controller had committed and applied when it answered (this request's records
   * included), so the broker that forwarded the request can wait until its own image gets there.
   */
  public static final String COMMITTED_OFFSET_HEADER = "brook-committed-offset";

  /** Event bus headers Brook sets itself start with this; listeners refuse them from clients. */
  public static final String RESERVED_HEADER_PREFIX = "brook-";

  /**
   * Who sent a client request ({@code User:name}, or {@code User:ANONYMOUS}): set by the listener that
   * authenticated it (HTTP API, bridge). A request without it comes from a cluster member, which the
   * event bus's mutual TLS vouches for, and is not checked against ACLs.
   */
  public static final String PRINCIPAL_HEADER = "brook-principal";

  /** The address the client connected from, set with {@link #PRINCIPAL_HEADER}, for host-specific ACLs. */
  public static final String CLIENT_HOST_HEADER = "brook-client-host";

  /**
   * Set on a consumer fetch by a caller on the leader's own node that can send a file region to its
   * socket (the Kafka listener, without TLS): the answer may then hold the records as a slice of the
   * segment file ({@link io.brook.protocol.message.FetchResponse#file()}) instead of a copy.
   * Honoured only for a request that did not come over the wire.
   */
  public static final String FILE_RECORDS_HEADER = "brook-file-records";

  public static boolean isReservedHeader(String name) {
    return name.regionMatches(true, 0, RESERVED_HEADER_PREFIX, 0, RESERVED_HEADER_PREFIX.length());
  }

  public static boolean isClientAddress(String address) {
    return CLIENT_ADDRESS_PATTERN.matcher(address).matches();
  }

  // ---- between brokers (internal) ----

  /** A follower's fetch from the leader {@code nodeId}. */
  public static String replicaFetch(int nodeId) {
    return "brook.internal.broker." + nodeId + ".replica-fetch";
  }

  /** The controller's requests, served by broker {@code nodeId} while it is the active controller. */
  public static String controller(int nodeId) {
    return "brook.internal.broker." + nodeId + ".controller";
  }

  /**
   * Broker {@code nodeId}'s metadata quorum replica: (pre-)vote requests, fetches, a new leader's
   * begin-epoch, and the other brokers' statuses. One address per broker, on purpose: every broker sends
   * its status to every voter each second, so the event bus has already resolved the address when an
   * election needs it (in Hazelcast mode a first look-up hangs while a dead member still owns
   * partitions, about 6 s when the dead member was the oldest).
   */
  public static String quorum(int nodeId) {
    return "brook.internal.quorum." + nodeId;
  }

  /**
   * Every broker publishes its quorum status here every second (cluster id, epoch, leader): the
   * leader's is its announcement; a new broker learns the cluster id from it.
   */
  public static final String QUORUM_STATUS = "brook.internal.quorum.status";

  /** A partition's offsets and size, asked of its leader. */
  public static String describePartition(int nodeId) {
    return "brook.internal.broker." + nodeId + ".describe-partition";
  }

  /**
   * Broker {@code nodeId}'s metrics snapshot (JSON in and out, docs/PROTOCOL.md): its cumulative
   * per-topic (or per-partition) counters, log figures and data dir disk use, asked once a second by
   * every node's HTTP API while a console watches. Internal: never permitted on the bridge.
   */
  public static String metricsSnapshot(int nodeId) {
    return "brook.internal.broker." + nodeId + ".metrics-snapshot";
  }


  // ---- inside one broker JVM ----

  /** The broker's security verticle checks a password or token ({@link LocalSecurity.Authenticate}). */
  public static final String LOCAL_AUTHENTICATE = "brook.local.security.authenticate";
  /** ... issues a bearer token ({@link LocalSecurity.IssueToken}). */
  public static final String LOCAL_ISSUE_TOKEN = "brook.local.security.issue-token";
  /** ... forgets one ({@link LocalSecurity.RevokeToken}). */
  public static final String LOCAL_REVOKE_TOKEN = "brook.local.security.revoke-token";
  /** ... answers a user's SCRAM credential to the Kafka listener ({@link LocalSecurity.ScramLookup}). */
  public static final String LOCAL_SCRAM_CREDENTIAL = "brook.local.security.scram-credential";

  /**
   * The broker's channel to the active controller: partition leaders send ISR changes here and the
   * broker forwards them to whichever broker is controller now.
   */
  public static final String LOCAL_CONTROLLER_ALTER_PARTITION = "brook.local.controller-channel.alter-partition";

  /** Published by the broker every replica.lag.time.max.ms / 2: leaders check their ISR. */
  public static final String LOCAL_REPLICA_TICK = "brook.local.replica-scheduler.tick";

  /** This broker's group coordinator of a {@code __consumer_offsets} partition it leads. */
  public static String localGroupCoordinator(int offsetsPartition) {
    return "brook.local.group-coordinator." + offsetsPartition;
  }

  /** The partition leader verticle of a topic-partition hosted by this JVM. */
  public static String localLeader(String topic, int partition) {
    return "brook.local.leader." + topic + "." + partition;
  }

  /** The log verticle of a topic-partition hosted by this JVM. */
  public static String localLog(String topic, int partition) {
    return "brook.local.log." + topic + "." + partition;
  }

  /** The local quorum replica: the controller appends committed-on-answer metadata batches here. */
  public static final String LOCAL_QUORUM_APPEND = "brook.local.quorum.append";

  /** The local quorum replica: the controller adds or removes a voter here. */
  public static final String LOCAL_QUORUM_VOTERS = "brook.local.quorum.change-voters";

  /** The local quorum replica: the controller resigns its epoch (body: the epoch). */
  public static final String LOCAL_QUORUM_RESIGN = "brook.local.quorum.resign";

  /** The local quorum replica describes the quorum (voters, their log ends and lag). */
  public static final String LOCAL_QUORUM_DESCRIBE = "brook.local.quorum.describe";

  /** Published by the local quorum replica when its epoch, leader, lease or high watermark change. */
  public static final String LOCAL_QUORUM_STATE = "brook.local.quorum.state";

  /** Published locally by the quorum replica whenever the metadata log's high watermark moves. */
  public static final String LOCAL_METADATA_HIGH_WATERMARK = "brook.local.metadata.high-watermark";

  /** Where the broker's metadata listener publishes each new committed image. */
  public static final String LOCAL_METADATA_IMAGE = "brook.local.metadata.image";

  /** The metadata listener answers with its current image. */
  public static final String LOCAL_METADATA_CURRENT_IMAGE = "brook.local.metadata.current-image";

  /** Published by the replica manager with an image's last offset once this broker hosts what that image says. */
  public static final String LOCAL_METADATA_IMAGE_APPLIED = "brook.local.metadata.applied";

  /** The cluster manager's "node left" events, re-published locally (the single listener slot is the broker's). */
  public static final String LOCAL_NODE_LEFT = "brook.local.membership.node-left";

  /**
   * The node restarts its broker on a metadata directory that forgets the cluster named in the body (a
   * String): a lone founding given up for the real cluster ({@code LoneFounding}). Answered once the
   * new broker is started.
   */
  public static final String LOCAL_BROKER_RESTART = "brook.local.node.restart-broker";

  /** Published by the broker's log scheduler: every compacted log reports to LOCAL_CLEANER if it is due. */
  public static final String LOCAL_CLEANER_TICK = "brook.local.log-scheduler.cleaner-tick";

  /** The broker's log cleaner scheduler: collects the due logs and cleans the dirtiest one. */
  public static final String LOCAL_CLEANER = "brook.local.log-scheduler.cleaner";

  /** Published by the broker's log scheduler: every log verticle checks its flush policy. */
  public static final String LOCAL_FLUSH_TICK = "brook.local.log-scheduler.flush";

  /** Published by the broker's log scheduler: every log verticle applies retention. */
  public static final String LOCAL_RETENTION_TICK = "brook.local.log-scheduler.retention";

  /** Published by the broker's log scheduler: every log verticle forgets its expired idempotent producers. */
  public static final String LOCAL_PRODUCER_EXPIRATION_TICK = "brook.local.log-scheduler.producer-expiration";
}
