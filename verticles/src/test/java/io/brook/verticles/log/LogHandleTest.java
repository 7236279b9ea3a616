package io.brook.verticles.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.storage.LogConfig;
import io.brook.storage.Time;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A partition role calls its log directly: answers on the role's own context, in order, failures as the event bus carries them. */
class LogHandleTest {
  private static final TopicPartition PARTITION = new TopicPartition("direct", 0);

  @TempDir
  Path dataDir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Stands in for a leader: keeps the handle and its own context. */
  private static final class Role extends VerticleBase {
    final LogHandle log;
    final CompletableFuture<Role> started;

    Role(LogHandle log, CompletableFuture<Role> started) {
      this.log = log;
      this.started = started;
    }

    @Override
    public Future<?> start() {
      started.complete(this);
      return Future.succeededFuture();
    }

    Context context() {
      return context;
    }

    <T> CompletableFuture<T> call(Object request, List<Thread> answeredOn) {
      CompletableFuture<T> answer = new CompletableFuture<>();
      context.runOnContext(v -> log.<T>call(request).onComplete(done -> {
        answeredOn.add(Thread.currentThread());
        if (done.succeeded()) {
          answer.complete(done.result());
        } else {
          answer.completeExceptionally(done.cause());
        }
      }));
      return answer;
    }
  }

  private Role deployLog(Map<String, String> config) throws Exception {
    CompletableFuture<Role> role = new CompletableFuture<>();
    LogVerticle log = new LogVerticle(PARTITION, new PartitionDirs(dataDir), Uuid.randomUuid(), LogConfig.fromMap(config),
        3_600_000L, Time.SYSTEM, handle -> new Role(handle, role));
    vertx.deployVerticle(log, new DeploymentOptions().setThreadingModel(io.vertx.core.ThreadingModel.WORKER)).await();
    return role.get(10, TimeUnit.SECONDS);
  }

  private static MemoryRecords batch(String... values) {
    SimpleRecord[] records = new SimpleRecord[values.length];
    for (int i = 0; i < values.length; i++) {
      records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
    }
    return MemoryRecords.withRecords(Compression.NONE, records);
  }

  @Test
  void answersArriveOnTheCallersEventLoopInTheOrderTheCallsWereMade() throws Exception {
    Role role = deployLog(Map.of());
    List<Thread> answeredOn = new java.util.concurrent.CopyOnWriteArrayList<>();

    CompletableFuture<LogRequests.Appended> first = role.call(new LogRequests.Append(List.of(batch("a", "b")), 0, 0), answeredOn);
    CompletableFuture<LogRequests.Appended> second = role.call(new LogRequests.Append(List.of(batch("c")), 0, 0), answeredOn);
    LogRequests.LogOffsets described = role.<LogRequests.LogOffsets>call(new LogRequests.Describe(), answeredOn)
        .get(10, TimeUnit.SECONDS);

    assertThat(first.get(10, TimeUnit.SECONDS).results().get(0).firstOffset()).isEqualTo(0);
    assertThat(second.get(10, TimeUnit.SECONDS).results().get(0).firstOffset()).isEqualTo(2);
    assertThat(described.logEndOffset()).isEqualTo(3);
    assertThat(answeredOn).hasSize(3).allSatisfy(thread -> assertThat(thread.getName()).contains("eventloop"));
  }

  @Test
  void aRefusedRequestFailsWithTheErrorCodeTheEventBusWouldCarry() throws Exception {
    Role role = deployLog(Map.of(LogConfig.CLEANUP_POLICY_CONFIG, "compact"));

    CompletableFuture<Object> refused = role.call(new LogRequests.DeleteRecords(0), new java.util.ArrayList<>());

    assertThat(refused).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().havingCause()
        .isInstanceOfSatisfying(ReplyException.class,
            e -> assertThat(e.failureCode()).isEqualTo(Errors.POLICY_VIOLATION.code()));
  }

  @Test
  void callsAndEventBusMessagesAreServedInOneOrder() throws Exception {
    Role role = deployLog(Map.of());
    io.brook.verticles.LocalCodecs.register(vertx.eventBus());

    // an append called directly, then at once a question over the event bus: the log takes them in that order
    CompletableFuture<LogRequests.LogOffsets> described = new CompletableFuture<>();
    role.context().runOnContext(v -> {
      role.log.call(new LogRequests.Append(List.of(batch("x", "y")), 0, 0));
      vertx.eventBus().<LogRequests.LogOffsets>request(Addresses.localLog(PARTITION.topic(), PARTITION.partition()),
          new LogRequests.Describe()).onComplete(done -> {
            if (done.succeeded()) {
              described.complete(done.result().body());
            } else {
              described.completeExceptionally(done.cause());
            }
          });
    });

    assertThat(described.get(10, TimeUnit.SECONDS).logEndOffset()).isEqualTo(2);
  }
}
