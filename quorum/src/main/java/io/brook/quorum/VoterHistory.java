package io.brook.quorum;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The voter sets written in the metadata log, by offset. As in Raft (and KIP-853), a replica uses
 * the latest set in its log whether or not it is committed, and a truncation takes back the sets it
 * removes. Owned by the replica's thread.
 */
public final class VoterHistory {
  private final TreeMap<Long, VoterSet> byOffset = new TreeMap<>();

  public void add(long offset, VoterSet voters) {
    Map.Entry<Long, VoterSet> last = byOffset.lastEntry();
    if (last != null && last.getKey() >= offset) {
      throw new IllegalStateException("voter set at " + offset + " after one at " + last.getKey());
    }
    byOffset.put(offset, voters);
  }

  /** Forgets the sets at {@code endOffset} and later (the log was truncated there). */
  public void truncateTo(long endOffset) {
    byOffset.tailMap(endOffset, true).clear();
  }

  /** The latest set; empty before the log holds one (a broker that has not joined a cluster yet). */
  public Optional<VoterSet> latest() {
    Map.Entry<Long, VoterSet> last = byOffset.lastEntry();
    return last == null ? Optional.empty() : Optional.of(last.getValue());
  }

  /** Offset of the latest set, -1 if none. */
  public long latestOffset() {
    return byOffset.isEmpty() ? -1 : byOffset.lastKey();
  }

  @Override
  public String toString() {
    return byOffset.toString();
  }
}
