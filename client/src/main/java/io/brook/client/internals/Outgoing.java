package io.brook.client.internals;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/**
 * A record accepted by {@code send()} with what the producer computed for it once; {@code caller} is
 * the context its future completes on (null: the producer's own, see {@link CallerContext}).
 */
record Outgoing(ProducerRecord<byte[], byte[]> record, Header[] headers, long timestampMs, int sizeUpperBound,
    Promise<RecordMetadata> promise, Context caller, long sendMs) {}
