package io.brook.web;

import io.brook.protocol.ListenerTls;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The web console's configuration: the HTTP API and the TCP event bus bridge. Every key is declared
 * once here with its type, default, validator and doc; unknown keys (the rest of a node's config)
 * are ignored. Immutable, so any thread may read it.
 */
public final class WebConsoleConfig extends AbstractConfig {
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String HTTP_MAX_BODY_BYTES = "http.max.body.bytes";
  public static final String BRIDGE_HOST = "bridge.host";
  public static final String BRIDGE_PORT = "bridge.port";
  public static final String NODE_ID = "node.id";
  public static final String HTTP_METADATA_MAX_AGE_MS = "http.metadata.max.age.ms";
  public static final String HTTP_REQUEST_TIMEOUT_MS = "http.request.timeout.ms";
  public static final String HTTP_MAX_PARTITION_FETCH_BYTES = "http.max.partition.fetch.bytes";
  public static final String HTTP_FETCH_MAX_BYTES = "http.fetch.max.bytes";
  public static final String HTTP_MAX_LONG_POLLS = "http.max.long.polls";
  public static final String HTTP_IDLE_TIMEOUT_MS = "http.idle.timeout.ms";
  public static final String HTTP_CONSUMER_INSTANCES_MAX = "http.consumer.instances.max";
  public static final String HTTP_CONSUMER_INSTANCE_TIMEOUT_MS = "http.consumer.instance.timeout.ms";
  public static final String HTTP_REQUEST_READ_TIMEOUT_MS = "http.request.read.timeout.ms";
  public static final String BRIDGE_MAX_FRAME_BYTES = "bridge.max.frame.bytes";
  public static final String BRIDGE_MAX_CONNECTIONS = "bridge.max.connections";
  public static final String BRIDGE_MAX_INFLIGHT_REQUESTS = "bridge.max.inflight.requests.per.connection";
  public static final String BRIDGE_MAX_BUFFERED_BYTES = "bridge.max.buffered.bytes";
  public static final String BRIDGE_IDLE_TIMEOUT_MS = "bridge.idle.timeout.ms";
  public static final String BRIDGE_FRAME_READ_TIMEOUT_MS = "bridge.frame.read.timeout.ms";
  public static final String HTTP_TLS = "http.tls";
  public static final String HTTP_SSL_KEY = "http.ssl.key.location";
  public static final String HTTP_SSL_CERTIFICATE = "http.ssl.certificate.location";
  public static final String BRIDGE_TLS = "bridge.tls";
  public static final String BRIDGE_SSL_KEY = "bridge.ssl.key.location";
  public static final String BRIDGE_SSL_CERTIFICATE = "bridge.ssl.certificate.location";
  public static final String ALLOW_ANONYMOUS = "security.allow.anonymous";
  public static final String HTTP_SEARCH_MAX_SCAN_MS = "http.search.max.scan.ms";
  public static final String HTTP_MAX_EVENT_STREAMS = "http.max.event.streams";
  public static final String CONSOLE_READ_ONLY = "console.read.only";
  public static final String CONSOLE_SESSION_MAX_AGE_MS = "console.session.max.age.ms";
  public static final String CONSOLE_SESSIONS_MAX = "console.sessions.max";
  public static final String CONSOLE_LOGIN_MAX_FAILURES = "console.login.max.failures.per.minute";

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(HTTP_HOST, Type.STRING, "127.0.0.1", Importance.HIGH,
          "Interface the HTTP API and console listen on.")
      .define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65535), Importance.HIGH,
          "Port of the HTTP API and console (0 picks a free port).")
      .define(HTTP_MAX_BODY_BYTES, Type.LONG, 8L << 20, Range.between(1024, 1L << 30), Importance.MEDIUM,
          "Largest request body the HTTP API accepts; larger bodies are refused with 413.")
      .define(BRIDGE_HOST, Type.STRING, "127.0.0.1", Importance.HIGH,
          "Interface the TCP event bus bridge listens on.")
      .define(BRIDGE_PORT, Type.INT, 7070, Range.between(-1, 65535), Importance.HIGH,
          "Port of the TCP event bus bridge; -1 disables the bridge, 0 picks a free port.")
      .define(NODE_ID, Type.INT, -1, Range.atLeast(-1), Importance.HIGH,
          "The broker node this console runs beside; -1 when it runs on no broker.")
      .define(HTTP_METADATA_MAX_AGE_MS, Type.LONG, 5_000L, Range.atLeast(0), Importance.LOW,
          "How long the HTTP API trusts cached topic metadata (partition leaders) before asking again; "
              + "a NOT_LEADER_OR_FOLLOWER or UNKNOWN_TOPIC_OR_PARTITION reply refreshes it at once.")
      .define(HTTP_REQUEST_TIMEOUT_MS, Type.INT, 30_000, Range.between(100, 600_000), Importance.MEDIUM,
          "How long the HTTP API waits for a broker's reply (on top of a fetch's maxWaitMs).")
      .define(HTTP_MAX_PARTITION_FETCH_BYTES, Type.INT, 1 << 20, Range.between(1024, 64 << 20), Importance.LOW,
          "Bytes asked of a partition leader per fetch when the HTTP API reads records.")
      .define(HTTP_FETCH_MAX_BYTES, Type.INT, 4 << 20, Range.between(1024, 256 << 20), Importance.LOW,
          "Record bytes (uncompressed) one GET .../records request decodes at most, over all partitions; the"
              + " answer's JSON grows with it.")
      .define(HTTP_MAX_LONG_POLLS, Type.INT, 100, Range.between(1, 100_000), Importance.LOW,
          "Long polls (GET .../records with maxWaitMs > 0 that found nothing) one HTTP verticle instance runs at"
              + " once; one more is refused with 429 THROTTLING_QUOTA_EXCEEDED.")
      .define(HTTP_CONSUMER_INSTANCES_MAX, Type.INT, 100, Range.between(0, 10_000), Importance.LOW,
          "Group consumers (POST /api/groups/{group}/consumers, what bin/brook consume --group uses) this node"
              + " runs at once for HTTP clients; one more is refused with 429 THROTTLING_QUOTA_EXCEEDED.")
      .define(HTTP_CONSUMER_INSTANCE_TIMEOUT_MS, Type.INT, 15_000, Range.between(1000, 3_600_000), Importance.LOW,
          "A group consumer its HTTP client has not asked anything for this long is closed: it leaves its group"
              + " (its partitions go to the others), committing only what the client acknowledged by asking for"
              + " more, never the records of its last answer.")
      // above a long poll (30 s) plus http.request.timeout.ms (30 s), when no byte flows on a healthy connection
      .define(HTTP_IDLE_TIMEOUT_MS, Type.INT, 120_000, Range.between(1000, 3_600_000), Importance.LOW,
          "An HTTP connection on which no byte is read or written for this long is closed (e.g. a client that"
              + " stopped reading its answer). Keep it above the longest long poll (30 s) plus"
              + " http.request.timeout.ms.")
      .define(HTTP_REQUEST_READ_TIMEOUT_MS, Type.INT, 30_000, Range.between(100, 3_600_000), Importance.LOW,
          "A connection must deliver a whole request (headers and body) within this long of opening or of its"
              + " previous answer, or it is closed (with 408 when a request had begun): bounds slow-loris clients"
              + " and idle keep-alive connections. Raise it for large bodies over slow links.")
      // 8 MiB = http.max.body.bytes: both carry the same JSON produce bodies, and a max.message.bytes
      // (1 MiB) record still fits after JSON escaping or base64; larger batches go as several requests
      .define(BRIDGE_MAX_FRAME_BYTES, Type.INT, 8 << 20, Range.between(1024, 256 << 20), Importance.MEDIUM,
          "Largest bridge frame (JSON bytes after the 4-byte length) accepted, checked on the length before any"
              + " byte is buffered; a longer (or negative) length gets an err frame and the connection is closed."
              + " The default equals http.max.body.bytes, so a produce of a max.message.bytes record fits as"
              + " JSON or base64; bigger batches go as several requests.")
      .define(BRIDGE_MAX_CONNECTIONS, Type.INT, 1000, Range.between(1, 1_000_000), Importance.MEDIUM,
          "Bridge connections open at once; one more gets an err frame and is closed at once. The bytes their"
              + " partly read frames hold together are bounded by bridge.max.buffered.bytes.")
      // 64 MiB: eight frames of bridge.max.frame.bytes under way at once, far below connections x frame size
      .define(BRIDGE_MAX_BUFFERED_BYTES, Type.LONG, 64L << 20, Range.between(1024, 1L << 40), Importance.MEDIUM,
          "Bytes of partly read bridge frames held over all connections (bytes of a frame kept from one socket"
              + " read to the next; a frame that arrives in one read is not counted). A connection whose frame"
              + " would take the total over it gets an err frame (server_busy) and is closed, so memory is bounded"
              + " by this, not by bridge.max.connections x bridge.max.frame.bytes. At least bridge.max.frame.bytes.")
      // Kafka's connections.max.idle.ms
      .define(BRIDGE_IDLE_TIMEOUT_MS, Type.LONG, 600_000L, Range.between(100, 86_400_000), Importance.LOW,
          "A bridge connection that received nothing for this long, with no frame under way and no request"
              + " waiting for an answer, gets an err frame (idle_timeout) and is closed; as Kafka's"
              + " connections.max.idle.ms.")
      .define(BRIDGE_FRAME_READ_TIMEOUT_MS, Type.LONG, 30_000L, Range.between(100, 3_600_000), Importance.LOW,
          "A bridge frame must be complete within this long of its first byte, or the connection gets an err"
              + " frame (frame_timeout) and is closed: bounds slow-loris clients that trickle a frame to hold a"
              + " connection and its buffered bytes. Raise it for frames near bridge.max.frame.bytes over slow"
              + " links.")
      .define(BRIDGE_MAX_INFLIGHT_REQUESTS, Type.INT, 1000, Range.between(1, 100_000), Importance.MEDIUM,
          "Requests one bridge connection may have waiting for a broker's answer; one more is answered with an"
              + " err frame (too_many_requests) and not sent.")
      .define(HTTP_TLS, Type.BOOLEAN, false, Importance.HIGH,
          "HTTPS for the HTTP API and the console (HTTP/2 by ALPN); plain HTTP is then refused on the port. "
              + "Needs http.ssl.key.location and http.ssl.certificate.location.")
      .define(HTTP_SSL_KEY, Type.STRING, "", Importance.HIGH,
          "PEM file (PKCS#8) with the HTTPS listener's private key (bin/brook-certs makes one).")
      .define(HTTP_SSL_CERTIFICATE, Type.STRING, "", Importance.HIGH,
          "PEM file with the HTTPS listener's certificate (chain); an expired one stops the node at start.")
      .define(BRIDGE_TLS, Type.BOOLEAN, false, Importance.HIGH,
          "TLS on the TCP event bus bridge; plain connections are then refused. Needs bridge.ssl.key.location "
              + "and bridge.ssl.certificate.location.")
      .define(BRIDGE_SSL_KEY, Type.STRING, "", Importance.HIGH,
          "PEM file (PKCS#8) with the bridge's private key.")
      .define(BRIDGE_SSL_CERTIFICATE, Type.STRING, "", Importance.HIGH,
          "PEM file with the bridge's certificate (chain); an expired one stops the node at start.")
      .define(ALLOW_ANONYMOUS, Type.BOOLEAN, null, Importance.HIGH,
          "Whether HTTP API and bridge clients without credentials get in, as User:ANONYMOUS (subject to the "
              + "ACLs when authorizer.enabled). Unset: true only while every client listener (http.host, "
              + "bridge.host) binds a loopback address, so a node reachable from other hosts asks every client "
              + "for a user's password or a token. Clients that give credentials are always checked.")
      .define(HTTP_SEARCH_MAX_SCAN_MS, Type.LONG, 2_000L, Range.between(10, 60_000), Importance.LOW,
          "How long one filtered GET .../records (a search) may scan; past it the scan stops and answers what it"
              + " found with complete=false (bounds a pathological regex as well as a long scan).")
      .define(HTTP_MAX_EVENT_STREAMS, Type.INT, 100, Range.between(1, 100_000), Importance.LOW,
          "Server-Sent Event streams (live tails, watches) open at once on this node; one more is refused with"
              + " 429 THROTTLING_QUOTA_EXCEEDED.")
      .define(CONSOLE_READ_ONLY, Type.BOOLEAN, false, Importance.MEDIUM,
          "Makes the web console a viewer: every change asked through a console session (the brook_console_<node.id>"
              + " cookie) is refused with 403 CLUSTER_AUTHORIZATION_FAILED. Basic and Bearer clients are unaffected.")
      .define(CONSOLE_SESSION_MAX_AGE_MS, Type.LONG, 8L * 3600_000L, Range.between(1000, 30L * 86_400_000L),
          Importance.LOW, "How long a console session (its cookie) lasts after login; then the user logs in again.")
      .define(CONSOLE_SESSIONS_MAX, Type.INT, 10_000, Range.between(1, 1_000_000), Importance.LOW,
          "Console sessions this node keeps; past it the oldest session is forgotten (its user logs in again).")
      .define(CONSOLE_LOGIN_MAX_FAILURES, Type.INT, 10, Range.between(1, 10_000), Importance.LOW,
          "Failed console logins one source address may make per minute; more are refused with 429"
              + " THROTTLING_QUOTA_EXCEEDED until the minute is over.");

  public WebConsoleConfig(Map<?, ?> originals) {
    super(CONFIG_DEF, originals, false);
    if (bridgeMaxBufferedBytes() < bridgeMaxFrameBytes()) {
      throw new ConfigException(BRIDGE_MAX_BUFFERED_BYTES, bridgeMaxBufferedBytes(), "must be at least "
          + BRIDGE_MAX_FRAME_BYTES + " (" + bridgeMaxFrameBytes() + "), or no frame of that size could be read");
    }
  }

  /** {@link #ALLOW_ANONYMOUS} as set, or as its default says: true only when no listener is reachable from elsewhere. */
  public int consumerInstancesMax() {
    return getInt(HTTP_CONSUMER_INSTANCES_MAX);
  }

  public int consumerInstanceTimeoutMs() {
    return getInt(HTTP_CONSUMER_INSTANCE_TIMEOUT_MS);
  }

  public boolean allowAnonymous() {
    Boolean set = getBoolean(ALLOW_ANONYMOUS);
    if (set != null) {
      return set;
    }
    return isLoopback(httpHost()) && (bridgePort() < 0 || isLoopback(bridgeHost()));
  }

  /**
   * A warning when a listener reachable from other hosts runs without TLS: passwords and tokens would
   * cross the network in the clear. Empty when there is nothing to warn about.
   */
  public java.util.List<String> plaintextWarnings() {
    java.util.List<String> warnings = new java.util.ArrayList<>();
    if (!isLoopback(httpHost()) && !getBoolean(HTTP_TLS)) {
      warnings.add("The HTTP API listens on " + httpHost() + " without TLS: passwords and tokens cross the network "
          + "in the clear; set http.tls=true (docs/SECURITY.md)");
    }
    if (bridgeEnabled() && !isLoopback(bridgeHost()) && !getBoolean(BRIDGE_TLS)) {
      warnings.add("The bridge listens on " + bridgeHost() + " without TLS: passwords and tokens cross the network "
          + "in the clear; set bridge.tls=true (docs/SECURITY.md)");
    }
    return warnings;
  }

  private static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** From a verticle's JSON config (flat keys, as in conf files). */
  public static WebConsoleConfig fromJson(JsonObject json) {
    return new WebConsoleConfig(json == null ? Map.of() : json.getMap());
  }

  public String httpHost() {
    return getString(HTTP_HOST);
  }

  public int httpPort() {
    return getInt(HTTP_PORT);
  }

  public long httpMaxBodyBytes() {
    return getLong(HTTP_MAX_BODY_BYTES);
  }

  public String bridgeHost() {
    return getString(BRIDGE_HOST);
  }

  public int bridgePort() {
    return getInt(BRIDGE_PORT);
  }

  public boolean bridgeEnabled() {
    return bridgePort() >= 0;
  }

  public int nodeId() {
    return getInt(NODE_ID);
  }

  public long metadataMaxAgeMs() {
    return getLong(HTTP_METADATA_MAX_AGE_MS);
  }

  public int requestTimeoutMs() {
    return getInt(HTTP_REQUEST_TIMEOUT_MS);
  }

  public int maxPartitionFetchBytes() {
    return getInt(HTTP_MAX_PARTITION_FETCH_BYTES);
  }

  public int fetchMaxBytes() {
    return getInt(HTTP_FETCH_MAX_BYTES);
  }

  public int maxLongPolls() {
    return getInt(HTTP_MAX_LONG_POLLS);
  }

  public int httpIdleTimeoutMs() {
    return getInt(HTTP_IDLE_TIMEOUT_MS);
  }

  public int httpRequestReadTimeoutMs() {
    return getInt(HTTP_REQUEST_READ_TIMEOUT_MS);
  }

  public int bridgeMaxFrameBytes() {
    return getInt(BRIDGE_MAX_FRAME_BYTES);
  }

  public int bridgeMaxConnections() {
    return getInt(BRIDGE_MAX_CONNECTIONS);
  }

  public int bridgeMaxInflightRequests() {
    return getInt(BRIDGE_MAX_INFLIGHT_REQUESTS);
  }

  public long bridgeMaxBufferedBytes() {
    return getLong(BRIDGE_MAX_BUFFERED_BYTES);
  }

  public long bridgeIdleTimeoutMs() {
    return getLong(BRIDGE_IDLE_TIMEOUT_MS);
  }

  public long bridgeFrameReadTimeoutMs() {
    return getLong(BRIDGE_FRAME_READ_TIMEOUT_MS);
  }

  public long searchMaxScanMs() {
    return getLong(HTTP_SEARCH_MAX_SCAN_MS);
  }

  public int maxEventStreams() {
    return getInt(HTTP_MAX_EVENT_STREAMS);
  }

  public boolean consoleReadOnly() {
    return getBoolean(CONSOLE_READ_ONLY);
  }

  public long consoleSessionMaxAgeMs() {
    return getLong(CONSOLE_SESSION_MAX_AGE_MS);
  }

  public int consoleSessionsMax() {
    return getInt(CONSOLE_SESSIONS_MAX);
  }

  public int consoleLoginMaxFailures() {
    return getInt(CONSOLE_LOGIN_MAX_FAILURES);
  }

  public boolean httpTlsEnabled() {
    return getBoolean(HTTP_TLS);
  }

  /** The HTTPS key and certificate, or empty for plain HTTP; checked (present, readable, not expired). */
  public java.util.Optional<ListenerTls> httpTls() {
    return getBoolean(HTTP_TLS) ? java.util.Optional.of(ListenerTls.checked(HTTP_TLS, getString(HTTP_SSL_KEY),
        getString(HTTP_SSL_CERTIFICATE))) : java.util.Optional.empty();
  }

  /** The bridge's key and certificate, or empty for plain TCP; checked like {@link #httpTls()}. */
  public java.util.Optional<ListenerTls> bridgeTls() {
    return getBoolean(BRIDGE_TLS) ? java.util.Optional.of(ListenerTls.checked(BRIDGE_TLS, getString(BRIDGE_SSL_KEY),
        getString(BRIDGE_SSL_CERTIFICATE))) : java.util.Optional.empty();
  }
}
