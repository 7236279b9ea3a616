/**
 * Replication state machines of one partition: {@link io.brook.replication.LeaderReplicaState}
 * (follower progress, ISR, high watermark), {@link io.brook.replication.AcksAllWaiters} (acks=all
 * requests waiting for the high watermark), {@link io.brook.replication.FollowerState} (a
 * follower's fetch loop and truncation decisions) and {@link io.brook.replication.FetchValidation}
 * (epoch fencing and KIP-320 divergence on the leader side).
 *
 * <p>Plain Java, no Vert.x (checked by {@code ReplicationArchitectureTest}): each object is owned by
 * one thread, the verticle of its partition, which does the I/O and messaging and hands the state
 * machine the current time as {@code nowMs}. See this module's README.md for the protocol and the
 * invariants, and the seeded simulation in the tests that checks them.
 */
package io.brook.replication;
