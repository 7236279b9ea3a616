package io.brook.verticles.controller;

import io.vertx.core.Future;

/**
 * This broker's seat in the controller election (through the cluster manager): tells it when it
 * becomes the active controller and when it must stop, and fences older controller epochs. The
 * controller acts only while {@link #mayAct()} is true, which a frozen or partitioned controller's
 * seat stops being before anyone else can be elected.
 */
public interface ControllerSeat {

  interface Listener {
    void onElected(long epoch);

    void onResigned(long epoch, String reason);
  }

  Future<Void> start(Listener listener);

  Future<Void> stop();

  /** True while this broker is controller and its lease on that is fresh. */
  boolean mayAct();

  /** The highest controller epoch this broker has accepted (persisted). */
  long knownEpoch();

  /**
   * Broker side, for every controller message: accepts (and persists) {@code epoch} of controller
   * {@code controllerId} unless it is older than the known one, or the same epoch from another
   * controller. Cheap for the current epoch.
   */
  Future<Boolean> acceptEpoch(long epoch, int controllerId);

  /** Someone reported a newer controller epoch than this controller's: step down. */
  void onHigherEpochSeen(long epoch);
}
