package io.brook.protocol.message;

import java.util.List;

/** The mechanisms whose credentials were deleted. */
public record DeleteUserResponse(String name, List<String> deleted) {}
