package io.brook.cli;

/** A failure to report to the user as one clear line (no stack trace); the command exits with 1. */
public class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
