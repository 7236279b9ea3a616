package io.brook.cluster;

/**
 * What a JVM is in the cluster: a broker, or a client (perf tool, an application on the event bus).
 * Both are cluster-manager members; only brokers register as brokers with Brook, so clients never
 * count as brokers. (Hazelcast lite members were tried for clients and dropped: a lite member left
 * alone when the last broker dies cannot reach the cluster data and never sees a restarted broker.)
 */
public enum MemberRole {
  BROKER,
  CLIENT
}
