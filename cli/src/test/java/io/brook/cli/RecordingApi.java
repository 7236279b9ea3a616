package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;

/**
 * A stand-in HTTP API (JDK HttpServer, or HttpsServer with a certificate from {@code bin/brook-certs}) that records
 * every request (method, raw path and query, body, Authorization header) and answers each "METHOD /path" with what
 * the test set ({@link #on}); anything else is 404. With {@link #brook} to run the CLI against it with a given
 * environment, password prompt and stdin.
 */
final class RecordingApi implements AutoCloseable {
  record Request(String method, String uri, String body, String authorization) {}

  private record Answer(int status, String body, Map<String, String> headers) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final String scheme;

  private RecordingApi(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.createContext("/", this::handle);
    server.start();
  }

  static RecordingApi http() throws IOException {
    return http(InetAddress.getByName("127.0.0.1"));
  }

  /** Plain HTTP on {@code address} (the loopback address unless a test needs another). */
  static RecordingApi http(InetAddress address) throws IOException {
    return new RecordingApi(HttpServer.create(new InetSocketAddress(address, 0), 0), "http");
  }

  /** HTTPS with {@code dir/name.key} and {@code dir/name.pem}, as {@code bin/brook-certs dir name} made them. */
  static RecordingApi https(Path dir, String name) throws Exception {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext(dir.resolve(name + ".key"), dir.resolve(name + ".pem"))));
    return new RecordingApi(server, "https");
  }

  /** Answers {@code method path} (the path without its query) with {@code status} and a JSON {@code body}. */
  RecordingApi on(String method, String path, int status, String body) {
    return on(method, path, status, body, Map.of());
  }

  RecordingApi on(String method, String path, int status, String body, Map<String, String> headers) {
    answers.put(method + " " + path, new Answer(status, body, headers));
    return this;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT} (or the address it listens on). */
  String bootstrap() {
    return scheme + "://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
        body, exchange.getRequestHeaders().getFirst("Authorization")));
    Answer answer = answers.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
    if (answer == null) {
      StubApi.answer(exchange, 404, "{\"error\":\"NOT_FOUND\",\"message\":\"no stub for this request\"}");
      return;
    }
    answer.headers().forEach((key, value) -> exchange.getResponseHeaders().add(key, value));
    StubApi.answer(exchange, answer.status(), answer.body());
  }

  /** The header a CLI run as {@code user} with {@code password} sends. */
  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  // --- running the CLI ---

  /** A console that answers the prompts with {@code typed}, in order, and remembers the prompts it showed. */
  static final class TypedPrompt implements PasswordPrompt {
    final List<String> shown = new ArrayList<>();
    private final Deque<String> typed;
    private final boolean available;

    private TypedPrompt(boolean available, List<String> typed) {
      this.available = available;
      this.typed = new ArrayDeque<>(typed);
    }

    static TypedPrompt typing(String... typed) {
      return new TypedPrompt(true, List.of(typed));
    }

    /** No console, as under cron or in a pipe. */
    static TypedPrompt none() {
      return new TypedPrompt(false, List.of());
    }

    @Override
    public boolean available() {
      return available;
    }

    @Override
    public char[] read(String prompt) {
      assertThat(available).as("read from an unavailable console").isTrue();
      shown.add(prompt);
      String next = typed.poll();
      return next == null ? null : next.toCharArray();
    }
  }

  /** Runs {@code brook --bootstrap BOOTSTRAP args...} with this environment, console and stdin. */
  BrookCliEndToEndTest.Result brook(Map<String, String> env, PasswordPrompt prompt, String stdin, String... args) {
    List<String> full = new ArrayList<>(List.of("--bootstrap", bootstrap()));
    full.addAll(List.of(args));
    return run(env, prompt, stdin, full.toArray(new String[0]));
  }

  /** Runs {@code brook args...} as it is (no --bootstrap added). */
  static BrookCliEndToEndTest.Result run(Map<String, String> env, PasswordPrompt prompt, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = BrookCli.commandLine(new BrookCli(
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env, prompt));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args);
    return new BrookCliEndToEndTest.Result(exit, out.toString(), err.toString());
  }

  /** Exit 1 and exactly one line on stderr, "Error: " and {@code message}; nothing on stdout. */
  static void assertFailure(BrookCliEndToEndTest.Result result, String message) {
    assertThat(result.exit()).as("exit code; stderr: %s", result.err()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("Error: " + message + "\n");
    assertThat(result.out()).isEmpty();
  }

  // --- certificates ---

  /** Runs {@code bin/brook-certs args...} (from the cli module's directory, as surefire runs). */
  static void brookCerts(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("../bin/brook-certs"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static SSLContext serverContext(Path keyFile, Path certificateFile) throws Exception {
    String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    Certificate[] chain;
    try (var in = Files.newInputStream(certificateFile)) {
      chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("node", key, new char[0], chain);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
