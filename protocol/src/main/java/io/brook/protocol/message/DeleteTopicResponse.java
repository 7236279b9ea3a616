package io.brook.protocol.message;

/** The topic that was deleted. */
public record DeleteTopicResponse(String name) {}
