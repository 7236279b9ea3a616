package io.brook.protocol.message;

import java.util.List;

/** The topics, sorted by name. */
public record ListTopicsResponse(List<TopicListing> topics) {}
