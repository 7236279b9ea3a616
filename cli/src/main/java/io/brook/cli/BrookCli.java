package io.brook.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code brook}: the command line client. {@code cluster}, {@code topics}, {@code partitions}, {@code produce} and
 * {@code consume}, {@code users} and {@code acls} talk to one node over the HTTP API ({@link BrookHttp}; https:// with
 * {@code --ca-file}, as a user with {@code --user}: {@link Credentials}) and never join the cluster; {@code perf} (from
 * the bench module, via {@link PerfLauncher}) is the exception: it measures the event bus path, so it joins. Exit codes: 0
 * done, 1 failed (one line on stderr saying why), 2 bad usage (one line saying what is wrong, then where the help is;
 * {@link #reportUsageError}).
 */
@Command(name = "brook", mixinStandardHelpOptions = true, versionProvider = BrookCli.Version.class,
    description = "Brook command line client: cluster, topics, partitions, produce, consume, users, acls, perf.",
    subcommands = {ClusterCommand.class, TopicsCommand.class, PartitionsCommand.class, GroupsCommand.class,
        ProduceCommand.class,
        ConsumeCommand.class, UsersCommand.class, AclsCommand.class, PerfLauncher.class})
public final class BrookCli implements Runnable {
  @Option(names = "--bootstrap", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
      defaultValue = "${env:BROOK_BOOTSTRAP:-127.0.0.1:8080}",
      description = "The node's HTTP API: HOST:PORT, http://HOST:PORT or https://HOST:PORT "
          + "(default: $BROOK_BOOTSTRAP or ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--ca-file", scope = ScopeType.INHERIT, paramLabel = "PEM",
      description = "For https://: trust exactly the CA certificates in this PEM file (default: $BROOK_CA_FILE, "
          + "else the JDK's trust store).")
  Path caFile;

  @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "NAME",
      description = "Authenticate as this user (HTTP Basic on every request; default: $BROOK_USER). The password "
          + "comes from --password-file, $BROOK_PASSWORD, $BROOK_PASSWORD_FILE or a prompt, never from an option.")
  String user;

  @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "With --user: the password is this file's first line (default: $BROOK_PASSWORD_FILE).")
  Path passwordFile;

  @CommandLine.Spec
  CommandSpec spec;

  /** Where {@code produce} reads lines; stdin except in tests. */
  private final InputStream stdin;
  /** The environment ($BROOK_USER, ...); the process's except in tests. */
  private final Map<String, String> env;
  private final PasswordPrompt prompt;
  /** One client per command line: a command may send several requests, and the password is asked for once. */
  private BrookHttp http;

  public BrookCli() {
    this(System.in);
  }

  BrookCli(InputStream stdin) {
    this(stdin, System.getenv(), PasswordPrompt.console());
  }

  BrookCli(InputStream stdin, Map<String, String> env, PasswordPrompt prompt) {
    this.stdin = stdin;
    this.env = Map.copyOf(env);
    this.prompt = prompt;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and answers its exit code; no System.exit, so tests can call it. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line: failures and usage errors print one line, not a stack trace or the usage. */
  public static CommandLine commandLine() {
    return commandLine(new BrookCli());
  }

  static CommandLine commandLine(BrookCli cli) {
    CommandLine line = new CommandLine(cli);
    // perf's own options (--records, ...) pass through the stand-in to the perf tool
    line.getSubcommands().get("perf").setUnmatchedOptionsArePositionalParams(true);
    // one handler on the root serves every subcommand: picocli hands each its own CommandLine in the exception
    line.setParameterExceptionHandler((failure, args) -> passwordOnTheCommandLine(args)
        ? reportUsageError(new ParameterException(failure.getCommandLine(), PASSWORD_OPTION_REFUSED), "")
        : reportUsageError(failure, ""));
    line.setExecutionExceptionHandler((failure, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      if (failure instanceof CliException) {
        err.println("Error: " + oneLine(failure.getMessage())); // a broker's message may span lines
      } else {
        err.println("Error: " + failure);
        failure.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    return line;
  }

  static final String PASSWORD_OPTION_REFUSED = "there is no --password option: a password on the command line "
      + "shows in ps and the shell's history; set $BROOK_PASSWORD or $BROOK_PASSWORD_FILE, give --password-file FILE, "
      + "or type it at the prompt";

  /**
   * Whether the user tried to give a password as an option ({@code --password}, {@code --password=...},
   * {@code --new-password ...}). picocli would echo the unknown option and its value (the password) in its error:
   * such a command line gets a fixed message instead.
   */
  private static boolean passwordOnTheCommandLine(String[] args) {
    return List.of(args).stream().anyMatch(arg -> arg.matches("--(new-)?password(=.*)?"));
  }

  /**
   * A usage error, as GNU tools report one: "Error: what is wrong" on one line, picocli's suggestion when a name
   * was mistyped, and "Try 'brook topics create --help' ..."; exit code 2. Not the usage itself: 15 to 25 lines
   * after the error push it off the screen. {@code prefix} goes before the command's name ("brook " for perf,
   * whose command line is its own).
   */
  static int reportUsageError(ParameterException failure, String prefix) {
    CommandLine command = failure.getCommandLine();
    PrintWriter err = command.getErr();
    String message = oneLine(failure.getMessage());
    err.println(message.startsWith("Error: ") ? message : "Error: " + message);
    UnmatchedArgumentException.printSuggestions(failure, err);
    err.println("Try '" + prefix + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** The message with its line breaks (and the blanks around them) as single spaces: one error, one line. */
  static String oneLine(String message) {
    return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").strip();
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Missing command: cluster, topics, partitions, produce, consume, users, acls or perf");
  }

  /**
   * The HTTP API client of the node given by {@code --bootstrap}, with the trust of {@code --ca-file} and the
   * credentials of {@code --user}, for any subcommand; made (and the password asked for) on the first call.
   */
  static BrookHttp http(CommandSpec spec) {
    BrookCli root = root(spec);
    if (root.http == null) {
      try {
        root.http = root.connect(spec.commandLine().getErr());
      } catch (CliException badOption) {
        throw new ParameterException(spec.commandLine(), badOption.getMessage()); // before any request: exit 2
      }
    }
    return root.http;
  }

  private BrookHttp connect(PrintWriter err) {
    URI base = BrookHttp.baseUri(bootstrap);
    Credentials credentials = Credentials.resolve(user, passwordFile, env, prompt, base.toString());
    boolean https = base.getScheme().equals("https");
    if (credentials != null && !https && !isLoopback(base.getHost())) {
      err.println("Warning: sending the password of " + credentials.user() + " unencrypted to " + base
          + "; use https:// if the node serves it");
      err.flush();
    }
    Path trusted = caFile != null ? caFile : nonEmptyPath(env.get("BROOK_CA_FILE"));
    return new BrookHttp(base, https ? Tls.trusting(trusted) : null, credentials);
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
  }

  private static Path nonEmptyPath(String value) {
    return value == null || value.isEmpty() ? null : Path.of(value);
  }

  /** The password prompt (the console's), for commands that ask for a new password. */
  static PasswordPrompt prompt(CommandSpec spec) {
    return root(spec).prompt;
  }

  static InputStream stdin(CommandSpec spec) {
    return root(spec).stdin;
  }

  private static BrookCli root(CommandSpec spec) {
    return (BrookCli) spec.root().userObject();
  }

  /** The version from the jar's build. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = BrookCli.class.getResourceAsStream("/io/brook/cli/brook-cli-version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {"brook " + properties.getProperty("version", "unknown")};
    }
  }
}
