package io.brook.web.api;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console sessions of one node, shared by its HTTP verticle instances: an opaque random id
 * (the {@code brook_console_<node.id>} cookie) maps to the principal, whether it is anonymous, the CSRF token
 * and the expiry. Nothing in the cookie is trusted beyond being a key here, so a session cannot be
 * forged or extended by the client, and a restart or logout ends it. Also the failed logins per
 * source address (the login rate limit). Bounded: at most {@code maxSessions} sessions (the
 * anonymous one closest to expiry goes first, then the logged-in one closest to expiry) and {@link #MAX_TRACKED_ADDRESSES} addresses. Thread-safe.
 */
final class ConsoleSessions implements Shareable {
  static final int MAX_TRACKED_ADDRESSES = 10_000;
  static final long FAILURE_WINDOW_MS = 60_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  record Session(String id, String principal, boolean anonymous, String csrfToken, long expiresAtMs) {
    @Override
    public String toString() { // the id and the CSRF token are secrets
      return "Session[principal=" + principal + ", anonymous=" + anonymous + "]";
    }
  }

  private record Failures(long windowStartMs, int count) {}

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();
  private final long maxAgeMs;
  private final int maxSessions;

  private ConsoleSessions(long maxAgeMs, int maxSessions) {
    this.maxAgeMs = maxAgeMs;
    this.maxSessions = maxSessions;
  }

  /** This node's sessions (one object per Vert.x instance, whichever verticle asks first creates it). */
  static ConsoleSessions of(Vertx vertx, long maxAgeMs, int maxSessions) {
    LocalMap<String, ConsoleSessions> map = vertx.sharedData().getLocalMap("brook.console.sessions");
    ConsoleSessions fresh = new ConsoleSessions(maxAgeMs, maxSessions);
    ConsoleSessions known = map.putIfAbsent("sessions", fresh);
    return known == null ? fresh : known;
  }

  long maxAgeMs() {
    return maxAgeMs;
  }

  Session create(String principal, boolean anonymous, long nowMs) {
    if (sessions.size() >= maxSessions) {
      // anonymous sessions go first: anyone may open those, so a flood of them must not log users out
      sessions.values().stream().min(Comparator.comparing((Session s) -> !s.anonymous())
              .thenComparingLong(Session::expiresAtMs))
          .ifPresent(oldest -> sessions.remove(oldest.id()));
    }
    Session session = new Session(randomToken(), principal, anonymous, randomToken(), nowMs + maxAgeMs);
    sessions.put(session.id(), session);
    return session;
  }

  /** The live session of {@code id}, or null (unknown, or expired: then forgotten). */
  Session find(String id, long nowMs) {
    Session session = id == null ? null : sessions.get(id);
    if (session != null && nowMs >= session.expiresAtMs()) {
      sessions.remove(id);
      return null;
    }
    return session;
  }

  void remove(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  /** Whether {@code address} may try a login now (fewer than {@code maxFailures} failures this minute). */
  boolean loginAllowed(String address, long nowMs, int maxFailures) {
    Failures seen = failures.get(address);
    return seen == null || nowMs - seen.windowStartMs() >= FAILURE_WINDOW_MS || seen.count() < maxFailures;
  }

  void loginFailed(String address, long nowMs) {
    if (failures.size() >= MAX_TRACKED_ADDRESSES) {
      failures.values().removeIf(f -> nowMs - f.windowStartMs() >= FAILURE_WINDOW_MS);
      if (failures.size() >= MAX_TRACKED_ADDRESSES) {
        failures.clear(); // a flood from many addresses: forget, rather than grow without bound
      }
    }
    failures.compute(address, (a, seen) -> seen == null || nowMs - seen.windowStartMs() >= FAILURE_WINDOW_MS
        ? new Failures(nowMs, 1) : new Failures(seen.windowStartMs(), seen.count() + 1));
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
