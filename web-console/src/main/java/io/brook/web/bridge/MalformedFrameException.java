package io.brook.web.bridge;

/**
 * A frame the bridge cannot act on. {@code code} is the err frame's machine-readable word
 * ({@code invalid_frame}, {@code unknown_type}, {@code missing_address}, the last two as the Vert.x
 * bridge names them); the detail says what was wrong. Carries no stack trace: it is the client's
 * mistake and is answered, never logged with a trace.
 */
final class MalformedFrameException extends Exception {
  private static final long serialVersionUID = 1L;

  static final String INVALID_FRAME = "invalid_frame";
  static final String UNKNOWN_TYPE = "unknown_type";
  static final String MISSING_ADDRESS = "missing_address";

  private final String code;

  MalformedFrameException(String code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  static MalformedFrameException invalid(String detail) {
    return new MalformedFrameException(INVALID_FRAME, detail);
  }

  /** The err frame's message: {@code "invalid_frame: 'type' must be a string"}. */
  String errMessage() {
    return code + ": " + getMessage();
  }
}
