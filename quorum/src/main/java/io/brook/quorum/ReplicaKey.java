package io.brook.quorum;

import java.util.Objects;

/**
 * A replica of the metadata log: the broker's node id and the id of its data directory (KIP-853's
 * voter key). A broker that comes back with an empty data directory has a new directory id, so it is
 * not the voter it was and cannot vote as one with a log it no longer has.
 */
public record ReplicaKey(int id, String directoryId) {
  public ReplicaKey {
    if (id < 0) {
      throw new IllegalArgumentException("replica id " + id);
    }
    Objects.requireNonNull(directoryId, "directoryId");
  }

  @Override
  public String toString() {
    return id + "/" + directoryId;
  }
}
