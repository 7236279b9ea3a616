package io.brook.cluster.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.MemberRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three clustered Vert.x instances in this JVM, real Hazelcast on loopback or a real ZooKeeper server:
 * exactly one controller; closing it elects another with a higher epoch within seconds; after a full
 * restart on the same data directories the epoch is higher than ever before.
 */
class ElectionClusterTest {
  /** Production timing, except the lock wait, which only paces retries. */
  private static final ElectionConfig CONFIG = ElectionConfig.defaults();

  @TempDir
  Path dir;

  private final List<Member> members = new ArrayList<>();
  private TestingServer zk;

  @AfterEach
  void closeAll() throws Exception {
    for (Member m : members) {
      m.close();
    }
    if (zk != null) {
      zk.close(); // after the members: a member closing without its server waits for its session
    }
  }

  @Test
  void hazelcast() throws Exception {
    List<Member> running = scenario(new ClusterConfig(Map.of(
        ClusterConfig.CLUSTER_NAME, "election-" + UUID.randomUUID(),
        ClusterConfig.CLUSTER_PORT, 16721,
        ClusterConfig.CLUSTER_MEMBERS, "127.0.0.1:16721-16726")));

    // Two of three members crash at once: with ClusterManagers' backup-count 2 for the counter map, the
    // survivor still has every counter (with Hazelcast's default of 1, some silently restart at 0).
    Member survivor = running.get(0);
    long epoch = running.stream().mapToLong(m -> m.election().epoch()).max().orElseThrow();
    for (int i = 0; i < 20; i++) {
      assertThat(survivor.vertx.sharedData().getCounter("test.counter." + i).await().addAndGet(100 + i).await())
          .isEqualTo(100 + i);
    }
    running.subList(1, 3).parallelStream().forEach(Member::crash);
    await().atMost(Duration.ofSeconds(20)).until(() -> hazelcast(survivor).getCluster().getMembers().size() == 1);
    for (int i = 0; i < 20; i++) {
      assertThat(survivor.vertx.sharedData().getCounter("test.counter." + i).await().get().await()).isEqualTo(100 + i);
    }
    // (the survivor may already have been elected above it if the controller was one of the crashed)
    assertThat(survivor.vertx.sharedData().getCounter(EpochCounter.NAME).await().get().await()).isGreaterThanOrEqualTo(epoch);
    // and the survivor is (or becomes) the controller, above every epoch before
    await().atMost(Duration.ofSeconds(20)).until(() -> survivor.election().mayAct() && survivor.election().epoch() >= epoch);
  }

  private static HazelcastInstance hazelcast(Member member) {
    return ((HazelcastClusterManager) ((VertxInternal) member.vertx).clusterManager()).getHazelcastInstance();
  }

  @Test
  void zookeeper() throws Exception {
    // tickTime 500 ms: the server accepts sessions of 1-10 s, so the 6 s default is granted as asked
    InstanceSpec spec = new InstanceSpec(dir.resolve("zk").toFile(), -1, -1, -1, true, 1, 500, 100, null, "127.0.0.1");
    zk = new TestingServer(spec, true);
    scenario(new ClusterConfig(Map.of(
        ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER,
        ClusterConfig.ZOOKEEPER_CONNECT, zk.getConnectString(),
        ClusterConfig.CLUSTER_NAME, "election-" + UUID.randomUUID())));
  }

  /** Returns the members running after the full restart. */
  private List<Member> scenario(ClusterConfig cluster) throws Exception {
    List<String> ids = List.of("1", "2", "3");
    List<Member> first = startAll(cluster, ids);
    Member controller = awaitOneController(first, 0);
    long firstEpoch = controller.election().epoch();

    long t0 = System.nanoTime();
    controller.close();
    List<Member> rest = first.stream().filter(m -> m != controller).toList();
    Member next = awaitOneController(rest, firstEpoch);
    long failoverMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("[%s] failover after closing the controller: %d ms (epoch %d -> %d)%n",
        cluster.clusterManager(), failoverMs, firstEpoch, next.election().epoch());
    assertThat(failoverMs).isLessThan(10_000);
    rest.forEach(Member::close); // full restart: every node down, then up again on the same disks
    long highest = 0; // closing one may have elected another: ask the disks
    for (String id : ids) {
      highest = Math.max(highest, new ControllerEpochStore(dataDir(id)).load().epoch());
    }
    t0 = System.nanoTime();
    List<Member> second = startAll(cluster, ids);
    Member after = awaitOneController(second, highest);
    System.out.printf("[%s] after a full restart: epoch %d (highest before %d) in %d ms%n",
        cluster.clusterManager(), after.election().epoch(), highest, (System.nanoTime() - t0) / 1_000_000);
    return second;
  }

  /**
   * Waits until exactly one member may act, with an epoch above {@code above} that every member has
   * accepted, and that stays so for a moment.
   */
  private Member awaitOneController(List<Member> candidates, long above) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> stableController(candidates, above));
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> stableController(candidates, above));
    return candidates.stream().filter(m -> m.election().isController()).findFirst().orElseThrow();
  }

  private static boolean stableController(List<Member> candidates, long above) {
    List<Member> controllers = candidates.stream().filter(m -> m.election().isController()).toList();
    if (controllers.size() != 1 || !controllers.get(0).election().mayAct()) {
      return false;
    }
    long epoch = controllers.get(0).election().epoch();
    return epoch > above && candidates.stream().allMatch(m -> m.election().knownEpoch() == epoch);
  }

  private List<Member> startAll(ClusterConfig cluster, List<String> ids) throws Exception {
    List<Future<Vertx>> starting = ids.stream().map(id -> BrookCluster.start(cluster, MemberRole.BROKER))
        .collect(Collectors.toList());
    List<Member> started = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Vertx vertx = starting.get(i).await(60, TimeUnit.SECONDS);
      String id = ids.get(i);
      ElectionVerticle verticle = new ElectionVerticle(id, dataDir(id), CONFIG,
          line -> System.out.println("node " + id + ": " + line));
      Member member = new Member(vertx, verticle);
      members.add(member);
      started.add(member);
    }
    for (Member m : started) {
      m.vertx.deployVerticle(m.verticle).await(30, TimeUnit.SECONDS);
    }
    return started;
  }

  private Path dataDir(String id) {
    return dir.resolve("node-" + id);
  }

  private static final class Member {
    final Vertx vertx;
    final ElectionVerticle verticle;
    private boolean closed;

    Member(Vertx vertx, ElectionVerticle verticle) {
      this.vertx = vertx;
      this.verticle = verticle;
    }

    ControllerElection election() {
      return verticle.election;
    }

    /** Hazelcast only: the member dies without a goodbye (no partition hand-over), as in a kill -9. */
    void crash() {
      closed = true;
      hazelcast(this).getLifecycleService().terminate();
      vertx.close(); // whatever it manages; its cluster manager is gone
    }

    void close() {
      if (!closed) {
        closed = true;
        try {
          vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
