package io.brook.cli;

/**
 * An error answer of the HTTP API: {@code {"error", "code", "message"}} with its HTTP status. The
 * message reads like the broker's wire errors: {@code UNKNOWN_TOPIC_OR_PARTITION: topic 'x' ...}.
 */
public final class ApiException extends CliException {
  private final int status;
  private final String error;

  public ApiException(int status, String error, String detail) {
    super(error + ": " + detail);
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  /** Kafka's error name, e.g. {@code TOPIC_ALREADY_EXISTS}. */
  public String error() {
    return error;
  }
}
