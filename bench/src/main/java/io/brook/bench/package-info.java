/**
 * The perf tool, {@code bin/brook perf produce|consume|e2e} ({@link io.brook.bench.PerfCommand}):
 * Kafka's producer/consumer perf tests and end-to-end latency loop, run over the Java client by a
 * JVM that joins the cluster as a client member. Standalone:
 * {@code java -cp <bench classpath> io.brook.bench.PerfCommand produce --topic t --num-records 1000000 --acks 1}.
 */
package io.brook.bench;
