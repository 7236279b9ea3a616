package io.brook.protocol.message;

/** List the topics; internal topics (names starting with {@code __}) only when asked. */
public record ListTopicsRequest(boolean includeInternal) {}
