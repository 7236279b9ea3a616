package io.brook.protocol.message;

/**
 * Raise a topic's partition count to {@code count}; answered with its {@link TopicMetadata}.
 * {@code validateOnly}: every check of the real change (the topic, the count, the brokers, room on
 * them), nothing written; the answer is the topic as it is.
 */
public record CreatePartitionsRequest(String name, int count, boolean validateOnly) {
  /** A real change. */
  public CreatePartitionsRequest(String name, int count) {
    this(name, count, false);
  }
}
