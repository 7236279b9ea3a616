package io.brook.quorum;

/**
 * Where a replica keeps its {@link ElectionState}: {@link #write} returns only once the state is
 * durable, because a vote is granted (and a campaign started) only after it is written.
 */
public interface ElectionStateStore {
  ElectionState read();

  void write(ElectionState state);

  /** In memory, for tests and the simulation (a "crash" keeps what was written). */
  final class InMemory implements ElectionStateStore {
    private ElectionState state = ElectionState.INITIAL;

    @Override
    public ElectionState read() {
      return state;
    }

    @Override
    public void write(ElectionState next) {
      state = next;
    }
  }
}
