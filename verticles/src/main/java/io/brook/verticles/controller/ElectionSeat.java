package io.brook.verticles.controller;

import io.brook.cluster.election.ControllerElection;
import io.brook.cluster.election.ElectionListener;
import io.vertx.core.Future;

/** The controller seat as the cluster manager elects it ({@link ControllerElection}). */
public final class ElectionSeat implements ControllerSeat {
  private static final System.Logger LOG = System.getLogger(ElectionSeat.class.getName());
  private final ControllerElection election;

  public ElectionSeat(ControllerElection election) {
    this.election = election;
  }

  @Override
  public Future<Void> start(Listener listener) {
    return election.start(new ElectionListener() {
      @Override
      public void onElected(long epoch) {
        listener.onElected(epoch);
      }

      @Override
      public void onResigned(long epoch, String reason) {
        listener.onResigned(epoch, reason);
      }

      @Override
      public void onStuck(long millisWithoutController) {
        // Possible only after a pause lost this node its membership while it may still hold the lock
        LOG.log(System.Logger.Level.ERROR, "No controller for " + millisWithoutController
            + " ms and this broker may hold a stale controller lock: restart it to free the lock");
      }
    });
  }

  @Override
  public Future<Void> stop() {
    return election.stop();
  }

  @Override
  public boolean mayAct() {
    return election.mayAct();
  }

  @Override
  public long knownEpoch() {
    return election.knownEpoch();
  }

  @Override
  public Future<Boolean> acceptEpoch(long epoch, int controllerId) {
    return election.acceptEpoch(epoch, String.valueOf(controllerId));
  }

  @Override
  public void onHigherEpochSeen(long epoch) {
    election.onHigherEpochSeen(epoch);
  }
}
