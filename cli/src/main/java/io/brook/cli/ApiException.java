package io.brook.cli;

/**
 * An error answer of the HTTP API: {@code {"error", "code", "message"}} with its HTTP status. The
 * message reads like the broker's wire errors: {@code UNKNOWN_TOPIC_OR_PARTITION: topic 'x' ...}.
 */
public final class ApiException extends CliException {
  private final int status;
  private final String error;

  public ApiException(int status, String error, String detail) {
    this(error + ": " + detail, status, error);
  }

  private ApiException(String message, int status, String error) {
    super(message);
    this.status = status;
    this.error = error;
  }

  /** With the message the user reads in place of "ERROR: detail" (401 and 403 name the user or the refusal). */
  static ApiException withMessage(int status, String error, String message) {
    return new ApiException(message, status, error);
  }

  public int status() {
    return status;
  }

  /** Kafka's error name, e.g. {@code TOPIC_ALREADY_EXISTS}. */
  public String error() {
    return error;
  }
}
