/**
 * How the clients work; not API.
 *
 * <p>Producer: {@code send()} appends to a per-partition {@link io.brook.client.internals.RecordAccumulator}
 * deque under its lock on the caller's thread; the {@link io.brook.client.internals.Sender} drains ready
 * batches on the producer's Vert.x context and sends one produce request per partition to its leader;
 * when idempotent, {@link io.brook.client.internals.ProducerIdempotence} numbers the batches (producer
 * id, epoch, sequences) and decides what the idempotence errors do.
 * Consumer: the {@link io.brook.client.internals.Fetcher} keeps one long-poll fetch in flight per
 * partition on the consumer's context; {@link io.brook.client.internals.CompletedFetch} decodes
 * lazily as polls drain it. Both share {@link io.brook.client.internals.Metadata} (partition leaders)
 * and {@link io.brook.client.internals.Rpc} (request/reply with Kafka's typed failures).
 */
package io.brook.client.internals;
