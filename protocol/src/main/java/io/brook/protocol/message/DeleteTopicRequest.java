package io.brook.protocol.message;

/** Delete a topic and its data; answered with a {@link DeleteTopicResponse}. */
public record DeleteTopicRequest(String name) {}
