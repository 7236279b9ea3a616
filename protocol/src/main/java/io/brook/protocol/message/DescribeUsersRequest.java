package io.brook.protocol.message;

import java.util.List;

/** The users named (left out or empty: every user). Answered with a {@link DescribeUsersResponse}. */
public record DescribeUsersRequest(List<String> names) {
  public DescribeUsersRequest {
    names = names == null ? List.of() : List.copyOf(names);
  }
}
