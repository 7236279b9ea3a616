package io.brook.groups;

/**
 * A classic group's state, with Kafka's names (as DescribeGroups and ListGroups report them).
 *
 * <pre>
 * Empty ──join──▶ PreparingRebalance ──all joined / join timeout──▶ CompletingRebalance ──leader's sync──▶ Stable
 *   ▲                  ▲   │ (no member left)                              │                               │
 *   └──────────────────┼───┘                                               │                               │
 *                      └───────── member joins, leaves, expires, changes metadata ◀─────────────────────────┘
 * Empty ──delete / offsets expired──▶ Dead (removed from the shard)
 * </pre>
 */
public enum GroupState {
  EMPTY("Empty"),
  PREPARING_REBALANCE("PreparingRebalance"),
  COMPLETING_REBALANCE("CompletingRebalance"),
  STABLE("Stable"),
  DEAD("Dead");

  private final String kafkaName;

  GroupState(String kafkaName) {
    this.kafkaName = kafkaName;
  }

  /** The name Kafka's DescribeGroups and ListGroups use. */
  public String kafkaName() {
    return kafkaName;
  }
}
