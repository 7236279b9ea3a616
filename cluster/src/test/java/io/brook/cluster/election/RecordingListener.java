package io.brook.cluster.election;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records election callbacks, and whether each came on the context that started the election. */
final class RecordingListener implements ElectionListener {
  final List<String> events = new CopyOnWriteArrayList<>();
  volatile Context expected;
  volatile boolean wrongContext;

  @Override
  public void onElected(long epoch) {
    record("elected " + epoch);
  }

  @Override
  public void onResigned(long epoch, String reason) {
    record("resigned " + epoch + ": " + reason);
  }

  @Override
  public void onStuck(long millisWithoutController) {
    record("stuck");
  }

  private void record(String event) {
    if (expected != null && Vertx.currentContext() != expected) {
      wrongContext = true;
    }
    events.add(event);
  }
}
