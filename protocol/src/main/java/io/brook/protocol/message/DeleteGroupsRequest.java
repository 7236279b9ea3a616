package io.brook.protocol.message;

import java.util.List;

/** Delete Empty groups (their offsets and metadata): {@code NON_EMPTY_GROUP} while a group has members. */
public record DeleteGroupsRequest(List<String> groupIds) {}
