package io.brook.protocol.message;

/**
 * An idempotent producer asks for its producer id (Kafka's InitProducerId without a transactional id).
 * Any broker answers, from the block of ids the controller gave it. No body fields: every call gets a
 * new id at epoch 0 (an idempotent producer bumps its epoch itself).
 */
public record InitProducerIdRequest() {}
