package io.brook.verticles.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/** A node's shutdown line counts the logs closed by its stop, not those closed before (a deleted topic's). */
class ShutdownProgressTest {
  @Test
  void countsOnlyWhatItsStopClosedAndSaysWhatWasFlushed() {
    Vertx vertx = Vertx.vertx();
    try {
      ShutdownProgress progress = ShutdownProgress.of(vertx);
      assertThat(ShutdownProgress.of(vertx)).as("one per Vert.x").isSameAs(progress);
      progress.logClosed(50); // a topic deleted while running: not part of the stop
      assertThat(progress.stopping()).isFalse();

      progress.begin("stopping its verticles");
      progress.logClosed(0);
      progress.logClosed(7);
      progress.logClosed(5);
      progress.logFailedToClose();
      assertThat(progress.logsSummary()).isEqualTo(
          "3 partition logs closed (2 fsynced 12 unflushed records at close), 1 not closed cleanly (recovered at the next start)");
      progress.step("closing the event bus and leaving the cluster");
      assertThat(progress.step()).isEqualTo("closing the event bus and leaving the cluster");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aStopWithNothingUnflushedSaysSo() {
    Vertx vertx = Vertx.vertx();
    try {
      ShutdownProgress progress = ShutdownProgress.of(vertx);
      progress.begin("stopping");
      progress.logClosed(0);
      assertThat(progress.logsSummary()).isEqualTo("1 partition log closed (all already flushed)");
    } finally {
      vertx.close().await();
    }
  }
}
