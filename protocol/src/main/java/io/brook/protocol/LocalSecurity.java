package io.brook.protocol;

import java.util.List;

/**
 * What a listener (HTTP API, bridge) asks its own broker's security verticle, on local-only
 * addresses ({@link Addresses#LOCAL_AUTHENTICATE} and the token ones): passwords and tokens never
 * cross the cluster's event bus. In-JVM messages with a local codec.
 */
public final class LocalSecurity {
  private LocalSecurity() {}

  /**
   * Check a user's password (SCRAM credentials of the metadata image) or a bearer token this node
   * issued. Answered with the principal ({@code User:name}); SASL_AUTHENTICATION_FAILED otherwise, the
   * same message for an unknown user and a wrong password.
   */
  public record Authenticate(String user, String password, String token) {
    @Override
    public String toString() { // secrets stay out of logs
      return "Authenticate[user=" + user + "]";
    }
  }

  /** A bearer token for an authenticated principal. Answered with a {@link Token}. */
  public record IssueToken(String principal) {}

  public record Token(String token, String principal, long expiresAtMs) {
    @Override
    public String toString() {
      return "Token[principal=" + principal + ", expiresAtMs=" + expiresAtMs + "]";
    }
  }

  /** Forget a token (logout). Answered with true if it was known. */
  public record RevokeToken(String token) {
    @Override
    public String toString() {
      return "RevokeToken";
    }
  }

  /**
   * The SCRAM credential of {@code user} for {@code mechanism} (SCRAM-SHA-256 or -512), for the Kafka
   * listener's SASL/SCRAM exchange, which checks the client's proof against it. Answered with a
   * {@link org.apache.kafka.common.security.scram.ScramCredential}; for a user without one, with a decoy
   * (a stable salt per name, keys nobody can match), so that a client learns that a user is unknown only
   * as it learns that a password is wrong: at the end of the exchange.
   */
  public record ScramLookup(String user, String mechanism) {}

  public static final List<Class<?>> TYPES = List.of(Authenticate.class, IssueToken.class, Token.class, RevokeToken.class,
      ScramLookup.class, org.apache.kafka.common.security.scram.ScramCredential.class);
}
