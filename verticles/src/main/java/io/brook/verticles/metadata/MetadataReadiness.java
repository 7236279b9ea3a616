package io.brook.verticles.metadata;

import io.brook.metadata.MetadataImage;
import io.brook.verticles.quorum.QuorumRequests.QuorumState;

/**
 * Whether this broker's metadata image may be trusted to answer clients: only once, in this run, it
 * has reached the committed offset the broker learned from a metadata quorum leader. Before that the
 * image may be empty (a fresh start) or stale (a restart with an old log), and "no such topic" from it
 * would be a lie. Once ready it stays ready: later images only grow.
 *
 * <p>Owned by one verticle; fed with the local quorum states and images it receives.
 */
public final class MetadataReadiness {
  private long readyAtOffset = -1;
  private MetadataImage image = MetadataImage.EMPTY;
  private boolean ready;

  /** True when this state made the broker ready. */
  public boolean onQuorumState(QuorumState state) {
    if (readyAtOffset < 0 && state.caughtUp()) {
      readyAtOffset = state.highWatermark();
    }
    return check();
  }

  /** True when this image made the broker ready. */
  public boolean onImage(MetadataImage next) {
    image = next;
    return check();
  }

  private boolean check() {
    if (!ready && readyAtOffset >= 0 && image.lastOffset() + 1 >= readyAtOffset) {
      ready = true;
      return true;
    }
    return false;
  }

  public boolean ready() {
    return ready;
  }

  public MetadataImage image() {
    return image;
  }
}
