/**
 * Brook's Java client: {@link io.brook.client.BrookProducer}, {@link io.brook.client.BrookConsumer}
 * and {@link io.brook.client.BrookAdmin}, created by {@link io.brook.client.BrookClients} on a Vert.x
 * whose event bus reaches the brokers, configured with Kafka's key names
 * ({@link io.brook.client.ProducerConfigs}, {@link io.brook.client.ConsumerConfigs},
 * {@link io.brook.client.AdminConfigs}). Records are Kafka's types ({@code ProducerRecord},
 * {@code ConsumerRecord}, {@code RecordMetadata}), batches are Kafka's v2 record batches, failures
 * are Kafka's exceptions. The producer is idempotent by default ({@code enable.idempotence}), as
 * Kafka's 3+. The implementation lives in {@code io.brook.client.internals}.
 */
package io.brook.client;
