package io.brook.quorum;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The voters of the metadata quorum at one point of the log: a record is committed once a
 * {@link #majority()} of them have it on disk, and a candidate needs that many votes. Changes go
 * one voter at a time, so the majorities of two consecutive sets always overlap. Immutable.
 */
public final class VoterSet {
  private final TreeMap<Integer, ReplicaKey> voters = new TreeMap<>();

  public VoterSet(Collection<ReplicaKey> keys) {
    for (ReplicaKey key : keys) {
      if (voters.put(key.id(), key) != null) {
        throw new IllegalArgumentException("voter " + key.id() + " twice in " + keys);
      }
    }
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("a voter set needs a voter");
    }
  }

  public static VoterSet of(ReplicaKey... keys) {
    return new VoterSet(List.of(keys));
  }

  public int size() {
    return voters.size();
  }

  public int majority() {
    return voters.size() / 2 + 1;
  }

  public Set<Integer> ids() {
    return voters.navigableKeySet();
  }

  public Collection<ReplicaKey> keys() {
    return voters.values();
  }

  public Optional<ReplicaKey> key(int id) {
    return Optional.ofNullable(voters.get(id));
  }

  /** This exact replica (id and directory) is a voter. */
  public boolean isVoter(ReplicaKey key) {
    return key.equals(voters.get(key.id()));
  }

  public VoterSet with(ReplicaKey key) {
    if (voters.containsKey(key.id())) {
      throw new IllegalArgumentException(key.id() + " is already a voter");
    }
    TreeMap<Integer, ReplicaKey> next = new TreeMap<>(voters);
    next.put(key.id(), key);
    return new VoterSet(next.values());
  }

  public VoterSet without(int id) {
    TreeMap<Integer, ReplicaKey> next = new TreeMap<>(voters);
    if (next.remove(id) == null) {
      throw new IllegalArgumentException(id + " is not a voter");
    }
    return new VoterSet(next.values());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VoterSet set && set.voters.equals(voters);
  }

  @Override
  public int hashCode() {
    return voters.hashCode();
  }

  @Override
  public String toString() {
    return voters.values().stream().map(ReplicaKey::toString).collect(Collectors.joining(",", "[", "]"));
  }
}
