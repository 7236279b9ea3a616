package io.brook.cluster;

/**
 * What a JVM is in the cluster. Brokers are full members; clients (perf tool, applications on the
 * event bus) join as Hazelcast lite members, which hold no cluster-manager data, so their coming
 * and going moves nothing and loses nothing.
 */
public enum MemberRole {
  BROKER,
  CLIENT
}
