package io.brook.cluster.election;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What the controller verticle and the brokers do with the election, reduced to what the tests need.
 * While {@link ControllerElection#mayAct()} the controller "acts": every 200 ms it publishes its epoch.
 * Every node accepts it with {@link ControllerElection#acceptEpoch}, or answers a refusal with its known
 * epoch, which the controller passes to {@link ControllerElection#onHigherEpochSeen}.
 */
final class ElectionVerticle extends VerticleBase {
  static final String ANNOUNCE = "test.election.announce";

  final String id;
  final RecordingListener listener = new RecordingListener();
  private final Path dataDir;
  private final ElectionConfig config;
  private final Consumer<String> log;
  volatile ControllerElection election;

  ElectionVerticle(String id, Path dataDir, ElectionConfig config, Consumer<String> log) {
    this.id = id;
    this.dataDir = dataDir;
    this.config = config;
    this.log = log;
  }

  static String fenceAddress(String id) {
    return "test.election.fence." + id;
  }

  @Override
  public Future<?> start() {
    election = new ControllerElection(vertx, id, config, new ControllerEpochStore(dataDir), MonotonicClock.SYSTEM);
    vertx.eventBus().<JsonObject>consumer(ANNOUNCE, m -> {
      long epoch = m.body().getLong("epoch");
      String from = m.body().getString("node");
      election.acceptEpoch(epoch, from).onSuccess(ok -> {
        if (!ok) {
          log.accept("REJECT epoch=" + epoch + " from=" + from + " known=" + election.knownEpoch());
          vertx.eventBus().send(fenceAddress(from), election.knownEpoch());
        }
      });
    });
    vertx.eventBus().<Long>consumer(fenceAddress(id), m -> election.onHigherEpochSeen(m.body()));
    vertx.setPeriodic(200, t -> act());
    ElectionListener logging = new ElectionListener() {
      @Override
      public void onElected(long epoch) {
        log.accept("ELECTED epoch=" + epoch);
        listener.onElected(epoch);
      }

      @Override
      public void onResigned(long epoch, String reason) {
        log.accept("RESIGNED epoch=" + epoch + " reason=" + reason);
        listener.onResigned(epoch, reason);
      }

      @Override
      public void onStuck(long millis) {
        log.accept("STUCK " + millis);
        listener.onStuck(millis);
      }
    };
    return election.start(logging);
  }

  /** A controller action: allowed only under a valid lease (late timers after a freeze must not act). */
  private void act() {
    if (election.mayAct()) {
      long epoch = election.epoch();
      log.accept("ACT epoch=" + epoch + " at=" + System.currentTimeMillis());
      vertx.eventBus().publish(ANNOUNCE, new JsonObject().put("epoch", epoch).put("node", id));
    }
  }

  @Override
  public Future<?> stop() {
    return election.stop();
  }
}
