package io.brook.protocol.message;

/** The credential that was set. */
public record UpsertUserResponse(String name, String mechanism, int iterations) {}
