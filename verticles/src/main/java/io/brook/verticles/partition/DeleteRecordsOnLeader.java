package io.brook.verticles.partition;

/**
 * The broker's API verticle to a local partition leader: DeleteRecords up to {@code offset} (-1: the
 * high watermark), answered with the low watermark (a {@code Long}) once it reaches the offset, or
 * failed (OFFSET_OUT_OF_RANGE, POLICY_VIOLATION, REQUEST_TIMED_OUT after {@code timeoutMs}, ...).
 */
public record DeleteRecordsOnLeader(long offset, int timeoutMs) {}
