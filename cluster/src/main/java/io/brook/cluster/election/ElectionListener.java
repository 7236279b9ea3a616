package io.brook.cluster.election;

/**
 * What the controller verticle hears from {@link ControllerElection}. Every method is called on the
 * Vert.x context that called {@link ControllerElection#start}.
 */
public interface ElectionListener {

  /**
   * This node won the election with {@code epoch}, already persisted. Start controlling; carry the
   * epoch in every controller message, and check {@link ControllerElection#mayAct()} before each action.
   */
  void onElected(long epoch);

  /**
   * This node stopped being the controller of {@code epoch} (superseded, fenced, paused, resigned or
   * stopped). {@link ControllerElection#mayAct()} is already false: drop controller state and stop
   * sending.
   */
  void onResigned(long epoch, String reason);

  /**
   * Liveness fallback (notes §8.5): no controller was seen for {@code controller.stuck.ms} while this
   * node may still hold the cluster lock it could not prove it owned, so nobody else can be elected.
   * The broker should leave and rejoin the cluster (close its clustered Vert.x, or exit and be
   * restarted), which makes the cluster manager free the lock. Called at most once per stuck period.
   */
  default void onStuck(long millisWithoutController) {
  }
}
