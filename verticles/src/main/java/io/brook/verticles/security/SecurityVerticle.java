package io.brook.verticles.security;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.UserScramCredential;
import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.LocalSecurity.Authenticate;
import io.brook.protocol.LocalSecurity.IssueToken;
import io.brook.protocol.LocalSecurity.RevokeToken;
import io.brook.protocol.LocalSecurity.ScramLookup;
import io.brook.protocol.LocalSecurity.Token;
import io.brook.protocol.message.UpsertUserRequest;
import io.brook.security.AuthenticationConfig;
import io.brook.security.ScramCredentials;
import io.brook.verticles.metadata.MetadataImages;
import io.brook.verticles.metadata.MetadataReadiness;
import io.brook.verticles.quorum.QuorumRequests.QuorumState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Who a client is, for this broker's listeners (HTTP API, bridge, Kafka listener), on local-only addresses so that
 * passwords and tokens never cross the cluster's event bus:
 * <ul>
 *   <li>{@link Authenticate}: a user's password against the SCRAM credentials of this broker's
 *       metadata image, or a bearer token this broker issued; answers the principal. PBKDF2 costs
 *       about a millisecond per 4,096 iterations, so it runs on a small worker pool of its own, at most
 *       {@link #MAX_PENDING} at once (more fail at once: a flood of guesses cannot queue up work), and a
 *       success is remembered for {@link #REMEMBER_MS} under a keyed hash of the password, as long as
 *       the user's credential is unchanged. Unknown users cost a password check too (no user
 *       enumeration by timing) and get the same message as a wrong password.</li>
 *   <li>{@link ScramLookup}: a user's SCRAM credential for the Kafka listener's SASL/SCRAM exchange (a
 *       decoy for an unknown user); the exchange itself, cheap HMACs, runs at the listener.</li>
 *   <li>{@link IssueToken} / {@link RevokeToken}: random bearer tokens for the console, valid
 *       {@code security.token.lifetime.ms} on this broker, while their user exists.</li>
 *   <li>The initial user ({@code security.initial.user}): created once the broker has caught up with
 *       the metadata, if the cluster has no user at all.</li>
 * </ul>
 */
public final class SecurityVerticle extends VerticleBase {
  static final long REMEMBER_MS = 60_000;
  static final int REMEMBER_MAX = 10_000;
  static final int MAX_PENDING = 64;
  private static final int MAX_TOKENS = 100_000;
  private static final long INITIAL_USER_RETRY_MS = 5_000;
  private static final String FAILED = "Authentication failed: invalid user name or password";
  private static final System.Logger LOG = System.getLogger(SecurityVerticle.class.getName());

  private final AuthenticationConfig config;
  private final SecureRandom random = new SecureRandom();
  private final MetadataReadiness readiness = new MetadataReadiness();
  /** Remembered successes by keyed password hash, oldest first. */
  private final LinkedHashMap<String, Remembered> remembered = new LinkedHashMap<>();
  private final Map<String, Token> tokens = new HashMap<>();
  private WorkerExecutor hashing;
  private Supplier<MetadataImage> latestImage;
  /** Keys remembered successes; reused, as every call is on this verticle's event loop. */
  private final Mac rememberKey;
  private int pending;
  private boolean initialUserAsked;

  private record Remembered(String user, UserScramCredential credential, long untilMs) {}

  public SecurityVerticle(AuthenticationConfig config) {
    this.config = config;
    byte[] pepper = new byte[32];
    random.nextBytes(pepper);
    try {
      rememberKey = Mac.getInstance("HmacSHA256");
      rememberKey.init(new SecretKeySpec(pepper, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  @Override
  public Future<?> start() {
    hashing = vertx.createSharedWorkerExecutor("brook-password-checks", 2);
    latestImage = MetadataImages.latest(vertx);
    var bus = vertx.eventBus();
    if (config.initialUser().isPresent() && !Files.isReadable(Path.of(config.initialPasswordFile()))) {
      return Future.failedFuture(new org.apache.kafka.common.config.ConfigException(
          AuthenticationConfig.INITIAL_PASSWORD_FILE, config.initialPasswordFile(), "not a readable file"));
    }
    return Future.all(List.of(
        MetadataImages.follow(vertx, image -> {
          readiness.onImage(image);
          createInitialUserIfNone();
        }),
        bus.<QuorumState>localConsumer(Addresses.LOCAL_QUORUM_STATE, m -> {
          readiness.onQuorumState(m.body());
          createInitialUserIfNone();
        }).completion(),
        bus.<Authenticate>localConsumer(Addresses.LOCAL_AUTHENTICATE, this::authenticate).completion(),
        bus.<IssueToken>localConsumer(Addresses.LOCAL_ISSUE_TOKEN, this::issueToken).completion(),
        bus.<RevokeToken>localConsumer(Addresses.LOCAL_REVOKE_TOKEN,
            m -> m.reply(tokens.remove(m.body().token()) != null)).completion(),
        bus.<ScramLookup>localConsumer(Addresses.LOCAL_SCRAM_CREDENTIAL, this::scramCredential).completion()));
  }

  @Override
  public Future<?> stop() {
    return hashing == null ? Future.succeededFuture() : hashing.close();
  }

  private void authenticate(Message<Authenticate> message) {
    Authenticate request = message.body();
    long now = System.currentTimeMillis();
    if (request.token() != null) {
      Token token = tokens.get(request.token());
      if (token == null || token.expiresAtMs() <= now || !userExists(latestImage.get(), token.principal())) {
        tokens.remove(request.token());
        fail(message, "Authentication failed: the token is unknown or has expired (log in again)");
      } else {
        message.reply(token.principal());
      }
      return;
    }
    String user = request.user();
    String password = request.password();
    if (user == null || password == null) {
      fail(message, FAILED);
      return;
    }
    MetadataImage image = latestImage.get(); // a password changed a moment ago is in force here at once
    String key = keyOf(user, password);
    Remembered known = remembered.get(key);
    if (known != null && known.untilMs() > now
        && known.credential().equals(ScramCredentials.strongest(image.scram(), user).orElse(null))) {
      message.reply(principalOf(user));
      return;
    }
    if (pending >= MAX_PENDING) {
      fail(message, "Authentication failed: too many password checks in progress on this broker; retry");
      return;
    }
    pending++;
    hashing.executeBlocking(() -> ScramCredentials.authenticate(image.scram(), user, password), false)
        .onComplete(done -> {
          pending--;
          if (done.succeeded() && done.result()) {
            remember(key, new Remembered(user, ScramCredentials.strongest(image.scram(), user).orElseThrow(),
                now + REMEMBER_MS));
            message.reply(principalOf(user));
          } else {
            fail(message, FAILED);
          }
        });
  }

  /** A user's SCRAM credential, or a decoy: the Kafka listener's SCRAM exchange then fails only at its end. */
  private void scramCredential(Message<ScramLookup> message) {
    ScramLookup lookup = message.body();
    ScramMechanism mechanism = ScramMechanism.forMechanismName(lookup.mechanism());
    if (mechanism == null || lookup.user() == null) {
      fail(message, FAILED);
      return;
    }
    message.reply(latestImage.get().scram().credential(lookup.user(), mechanism)
        .map(c -> new ScramCredential(c.salt(), c.storedKey(), c.serverKey(), c.iterations()))
        .orElseGet(() -> decoy(lookup.user(), mechanism)));
  }

  /** The same salt for the same name on every attempt (a changing salt would tell the name is unknown). */
  private ScramCredential decoy(String user, ScramMechanism mechanism) {
    rememberKey.update(("scram-decoy\0" + mechanism.mechanismName() + "\0").getBytes(StandardCharsets.UTF_8));
    byte[] salt = rememberKey.doFinal(user.getBytes(StandardCharsets.UTF_8));
    byte[] keys = new byte[128];
    random.nextBytes(keys);
    int keyLength = mechanism == ScramMechanism.SCRAM_SHA_256 ? 32 : 64;
    return new ScramCredential(java.util.Arrays.copyOf(salt, 16), java.util.Arrays.copyOf(keys, keyLength),
        java.util.Arrays.copyOfRange(keys, 64, 64 + keyLength), ScramCredentials.DEFAULT_ITERATIONS);
  }

  private void issueToken(Message<IssueToken> message) {
    long now = System.currentTimeMillis();
    tokens.values().removeIf(t -> t.expiresAtMs() <= now);
    if (tokens.size() >= MAX_TOKENS) {
      fail(message, "This broker holds " + MAX_TOKENS + " sessions already; log in with Basic credentials");
      return;
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    Token token = new Token(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), message.body().principal(),
        now + config.tokenLifetimeMs());
    tokens.put(token.token(), token);
    message.reply(token);
  }

  private void remember(String key, Remembered entry) {
    remembered.remove(key);
    remembered.put(key, entry);
    if (remembered.size() > REMEMBER_MAX) {
      remembered.remove(remembered.keySet().iterator().next());
    }
  }

  private static boolean userExists(MetadataImage image, String principal) {
    return !principal.startsWith("User:") || image.scram().contains(principal.substring(5));
  }

  private static String principalOf(String user) {
    return "User:" + user;
  }

  /** A keyed hash, so that remembered successes hold no password nor an offline-guessable digest of one. */
  private String keyOf(String user, String password) {
    rememberKey.update(user.getBytes(StandardCharsets.UTF_8));
    rememberKey.update((byte) 0);
    return Base64.getEncoder().encodeToString(rememberKey.doFinal(password.getBytes(StandardCharsets.UTF_8)));
  }

  private static void fail(Message<?> message, String text) {
    BrookErrors.fail(message, new SaslAuthenticationException(text));
  }

  /** Once caught up: no user in the cluster and one configured, so create it (one broker wins; CREATE). */
  private void createInitialUserIfNone() {
    Optional<String> user = config.initialUser();
    if (user.isEmpty() || initialUserAsked || !readiness.ready() || !readiness.image().scram().isEmpty()) {
      return;
    }
    initialUserAsked = true;
    vertx.executeBlocking(() -> {
      String password = Files.readAllLines(Path.of(config.initialPasswordFile()), StandardCharsets.UTF_8).stream()
          .findFirst().orElse("");
      return ScramCredentials.create(user.get(), ScramMechanism.SCRAM_SHA_256, password);
    }).compose(credential -> vertx.eventBus().request(Addresses.UPSERT_USER, new UpsertUserRequest(user.get(),
            credential.mechanism().mechanismName(), Base64.getEncoder().encodeToString(credential.salt()),
            Base64.getEncoder().encodeToString(credential.storedKey()),
            Base64.getEncoder().encodeToString(credential.serverKey()), credential.iterations(),
            UpsertUserRequest.Mode.CREATE), new DeliveryOptions().setSendTimeout(30_000)))
        .onSuccess(done -> LOG.log(System.Logger.Level.INFO, "Created the initial user " + user.get()
            + " (security.initial.user): the cluster had no user"))
        .onFailure(failure -> {
          if (failure instanceof DuplicateResourceException || BrookErrors.errorOf(failure) == Errors.DUPLICATE_RESOURCE) {
            return; // another broker created it first
          }
          LOG.log(System.Logger.Level.WARNING, "Could not create the initial user " + user.get() + " from "
              + config.initialPasswordFile() + " (retrying in " + INITIAL_USER_RETRY_MS / 1000 + " s): " + failure);
          vertx.setTimer(INITIAL_USER_RETRY_MS, t -> {
            initialUserAsked = false;
            createInitialUserIfNone();
          });
        });
  }
}
