package io.brook.verticles.admin;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.Messages;
import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.AlterConfigsResponse;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.DeleteTopicResponse;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionDescription;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicDescription;
import io.brook.protocol.message.TopicListing;
import io.brook.protocol.message.TopicMetadata;
import io.brook.replication.ReplicationConfig;
import io.brook.storage.LogConfig;
import io.brook.storage.Time;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.log.LogRequests;
import io.brook.verticles.log.LogVerticle;
import io.brook.verticles.log.PartitionDirs;
import io.brook.verticles.partition.DescribePartition;
import io.brook.verticles.partition.PartitionLeaderVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Owns the broker's topics: the durable topic list ({@link TopicStore}), the partition verticles
 * (a {@link LogVerticle} and a {@link PartitionLeaderVerticle} per partition) and the admin and
 * metadata addresses. Runs on one event loop; a topic changes state only here, so two requests
 * for the same name cannot race. In this single-broker form every partition is led by this broker
 * at leader epoch 0; the replicated cluster moves placement and leadership to a controller.
 */
public final class TopicManagerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(TopicManagerVerticle.class.getName());
  private static final int LEADER_EPOCH = 0;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(60_000);

  private final BrokerConfig config;
  private final BrokerInfo self;
  private final Time time;
  private final TopicRules rules;
  private final TopicStore store;
  private final PartitionDirs dirs;
  /** Topics being served, by name; a topic is here from the moment its creation starts. */
  private final Map<String, TopicState> topics = new TreeMap<>();

  /**
   * A topic and the deployments of its partitions (one log verticle each, the leader its child);
   * {@code ready} once they all run. A deleted topic stays here, {@code deleting}, until its
   * directories are gone, so that a new topic of the same name cannot open them meanwhile.
   */
  private static final class TopicState {
    TopicRecord record;
    final List<String> deployments = new ArrayList<>();
    boolean ready;
    boolean deleting;

    TopicState(TopicRecord record) {
      this.record = record;
    }
  }

  public TopicManagerVerticle(BrokerConfig config, BrokerInfo self, Time time) {
    this.config = config;
    this.self = self;
    this.time = time;
    this.rules = new TopicRules(config);
    this.store = new TopicStore(config.dataDir());
    this.dirs = new PartitionDirs(config.dataDir());
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> {
      dirs.finishInterruptedDeletes();
      List<TopicRecord> records = store.load();
      warnAboutOrphans(records);
      return records;
    }).compose(records -> {
      List<Future<?>> started = new ArrayList<>();
      for (TopicRecord record : records) {
        TopicState state = new TopicState(record);
        topics.put(record.name(), state);
        started.add(deployPartitions(state));
      }
      return Future.all(started);
    }).compose(all -> registerHandlers());
  }

  private Future<?> registerHandlers() {
    EventBus bus = vertx.eventBus();
    return Future.all(List.of(
        bus.consumer(Addresses.METADATA, handler(MetadataRequest.class, this::metadata)).completion(),
        bus.consumer(Addresses.CREATE_TOPIC, asyncHandler(CreateTopicRequest.class, this::create)).completion(),
        bus.consumer(Addresses.DELETE_TOPIC, asyncHandler(DeleteTopicRequest.class, this::delete)).completion(),
        bus.consumer(Addresses.LIST_TOPICS, handler(ListTopicsRequest.class, this::list)).completion(),
        bus.consumer(Addresses.DESCRIBE_TOPIC, asyncHandler(DescribeTopicRequest.class, this::describe)).completion(),
        bus.consumer(Addresses.ALTER_CONFIGS, asyncHandler(AlterConfigsRequest.class, this::alter)).completion()));
  }

  // ---- handlers ----

  private MetadataResponse metadata(MetadataRequest request) {
    List<TopicMetadata> result = new ArrayList<>();
    if (request.topics() == null || request.topics().isEmpty()) {
      topics.values().stream().filter(t -> t.ready).forEach(t -> result.add(topicMetadata(t.record)));
    } else {
      for (String name : request.topics()) {
        TopicState state = topics.get(name);
        result.add(state != null && state.ready ? topicMetadata(state.record)
            : new TopicMetadata(name, Errors.UNKNOWN_TOPIC_OR_PARTITION.name(), (short) -1, List.of()));
      }
    }
    return new MetadataResponse(self.nodeId(), List.of(self), result);
  }

  private Future<TopicMetadata> create(CreateTopicRequest request) {
    TopicRecord record = rules.newTopic(request, 1);
    TopicState existing = topics.get(record.name());
    if (existing != null) {
      throw new TopicExistsException(existing.deleting ? "Topic '" + record.name() + "' is being deleted."
          : "Topic '" + record.name() + "' already exists.");
    }
    TopicState state = new TopicState(record);
    topics.put(record.name(), state);
    return vertx.executeBlocking(() -> {
      deleteDirs(record); // leftovers of an earlier topic of that name whose deletion was cut short
      return null;
    }).compose(cleaned -> persist())
        .compose(saved -> deployPartitions(state))
        .map(deployed -> topicMetadata(record))
        .recover(failure -> rollBackCreate(state).transform(rolledBack -> Future.failedFuture(failure)));
  }

  private Future<?> rollBackCreate(TopicState state) {
    topics.remove(state.record.name(), state);
    return undeploy(state)
        .transform(undeployed -> vertx.executeBlocking(() -> {
          deleteDirs(state.record);
          return null;
        }))
        .transform(cleaned -> persist())
        .onFailure(e -> LOG.log(System.Logger.Level.ERROR, "Rolling back the creation of " + state.record.name(), e));
  }

  /**
   * Persists first: if that fails nothing changed. Once the logs start closing, the topic stays a
   * tombstone until its directories are gone, so the name cannot be reused over them.
   */
  private Future<DeleteTopicResponse> delete(DeleteTopicRequest request) {
    TopicState state = readyTopic(request.name());
    state.ready = false;
    state.deleting = true;
    return persist()
        .recover(failure -> {
          state.ready = true;
          state.deleting = false;
          return Future.failedFuture(failure);
        })
        .compose(saved -> undeploy(state))
        .compose(undeployed -> vertx.executeBlocking(() -> {
          deleteDirs(state.record);
          return new DeleteTopicResponse(request.name());
        }))
        .onSuccess(done -> topics.remove(request.name(), state))
        .onFailure(e -> LOG.log(System.Logger.Level.ERROR, "Deleting " + request.name()
            + " failed; the name stays reserved until the broker restarts", e));
  }

  private ListTopicsResponse list(ListTopicsRequest request) {
    return new ListTopicsResponse(topics.values().stream()
        .filter(t -> t.ready)
        .filter(t -> request.includeInternal() || !t.record.name().startsWith("__"))
        .map(t -> new TopicListing(t.record.name(), t.record.partitions(), t.record.replicationFactor()))
        .toList());
  }

  private Future<TopicDescription> describe(DescribeTopicRequest request) {
    TopicRecord record = readyTopic(request.name()).record;
    List<Future<PartitionDescription>> partitions = new ArrayList<>();
    for (int p = 0; p < record.partitions(); p++) {
      partitions.add(vertx.eventBus()
          .<PartitionDescription>request(Addresses.localLeader(record.name(), p), new DescribePartition(), LOCAL)
          .map(Message::body));
    }
    return Future.all(partitions).map(all -> new TopicDescription(record.name(), record.replicationFactor(),
        new TreeMap<>(record.configs()), rules.logConfig(record.configs()).values(),
        partitions.stream().map(Future::result).sorted(Comparator.comparingInt(PartitionDescription::partition)).toList()));
  }

  /** Visible (in memory and to the logs) only once the new config is on disk. */
  private Future<AlterConfigsResponse> alter(AlterConfigsRequest request) {
    TopicState state = readyTopic(request.name());
    Map<String, String> overrides = new HashMap<>(state.record.configs());
    if (request.delete() != null) {
      request.delete().forEach(overrides::remove);
    }
    if (request.set() != null) {
      overrides.putAll(request.set());
    }
    LogConfig logConfig = rules.logConfig(overrides);
    TopicRecord altered = state.record.withConfigs(overrides);
    List<TopicRecord> snapshot = topics.values().stream().filter(t -> !t.deleting)
        .map(t -> t == state ? altered : t.record).toList();
    return save(snapshot).compose(saved -> {
      state.record = altered;
      List<Future<?>> updated = new ArrayList<>();
      for (int p = 0; p < altered.partitions(); p++) {
        updated.add(vertx.eventBus().request(Addresses.localLog(altered.name(), p),
            new LogRequests.UpdateConfig(logConfig), LOCAL));
      }
      return Future.all(updated);
    }).map(done -> new AlterConfigsResponse(request.name(), new TreeMap<>(state.record.configs())));
  }

  // ---- partitions ----

  /** Waits for every deployment to settle, so a failed one leaves no straggler behind. */
  private Future<?> deployPartitions(TopicState state) {
    TopicRecord record = state.record;
    LogConfig logConfig = rules.logConfig(record.configs());
    List<Future<?>> deployed = new ArrayList<>();
    for (int p = 0; p < record.partitions(); p++) {
      TopicPartition partition = new TopicPartition(record.name(), p);
      LogVerticle log = new LogVerticle(partition, dirs.dir(partition), logConfig, time,
          () -> new PartitionLeaderVerticle(partition, config.nodeId(),
              PartitionLeaderVerticle.soleReplica(config.nodeId()), ReplicationConfig.defaults(), config));
      deployed.add(vertx.deployVerticle(log, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
          .onSuccess(state.deployments::add));
    }
    return Future.join(deployed).onSuccess(all -> state.ready = true);
  }

  /** Each log verticle stops its leader (its child) first, then closes the log. */
  private Future<?> undeploy(TopicState state) {
    List<Future<?>> undeployed = state.deployments.stream().<Future<?>>map(vertx::undeploy).toList();
    state.deployments.clear();
    return Future.join(undeployed);
  }

  // ---- helpers ----

  /** Kept, not deleted: a lost topics.json must not cost the data; a create of the name replaces them. */
  private void warnAboutOrphans(List<TopicRecord> records) {
    java.util.Set<String> known = new java.util.HashSet<>();
    records.forEach(r -> {
      for (int p = 0; p < r.partitions(); p++) {
        known.add(dirs.dir(new TopicPartition(r.name(), p)).getFileName().toString());
      }
    });
    dirs.orphans(known).forEach(orphan -> LOG.log(System.Logger.Level.WARNING,
        "Partition directory " + orphan + " belongs to no topic in topics.json; it is left untouched"));
  }

  private TopicState readyTopic(String name) {
    TopicState state = topics.get(TopicRules.throwIfInvalidName(name));
    if (state == null || !state.ready) {
      throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist.");
    }
    return state;
  }

  /** The topic list as it is now, written on a worker: the snapshot is taken here, on the event loop. */
  private Future<Void> persist() {
    return save(topics.values().stream().filter(t -> !t.deleting).map(t -> t.record).toList());
  }

  private Future<Void> save(List<TopicRecord> snapshot) {
    return vertx.executeBlocking(() -> {
      store.save(snapshot);
      return null;
    });
  }

  private void deleteDirs(TopicRecord record) {
    for (int p = 0; p < record.partitions(); p++) {
      dirs.delete(new TopicPartition(record.name(), p));
    }
  }

  private TopicMetadata topicMetadata(TopicRecord record) {
    List<PartitionMetadata> partitions = new ArrayList<>();
    for (int p = 0; p < record.partitions(); p++) {
      partitions.add(new PartitionMetadata(p, self.nodeId(), LEADER_EPOCH, List.of(self.nodeId()), List.of(self.nodeId())));
    }
    return new TopicMetadata(record.name(), null, record.replicationFactor(), partitions);
  }

  private <T> io.vertx.core.Handler<Message<Object>> handler(Class<T> type, Function<T, ?> handle) {
    return message -> {
      try {
        Messages.reply(message, handle.apply(Messages.body(message, type)));
      } catch (RuntimeException e) {
        BrookErrors.fail(message, e);
      }
    };
  }

  private <T> io.vertx.core.Handler<Message<Object>> asyncHandler(Class<T> type, Function<T, Future<?>> handle) {
    return message -> {
      try {
        handle.apply(Messages.body(message, type)).onComplete(done -> {
          if (done.succeeded()) {
            Messages.reply(message, done.result());
          } else {
            BrookErrors.fail(message, done.cause());
          }
        });
      } catch (RuntimeException e) {
        BrookErrors.fail(message, e);
      }
    };
  }
}
