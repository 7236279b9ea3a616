package io.brook.cli;

import static io.brook.cli.Json.array;
import static io.brook.cli.Json.number;
import static io.brook.cli.Json.object;
import static io.brook.cli.Json.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code brook users list|create|passwd|delete}: SCRAM credentials over the HTTP API ({@code /api/users}). A new
 * password comes from {@code --new-password-file}, the first line of stdin ({@code --new-password-stdin}) or the
 * console (typed twice, no echo); never from an option's value, and it is never printed.
 */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = "List, create and delete users (SCRAM credentials) and change their passwords.",
    subcommands = {UsersCommand.ListUsers.class, UsersCommand.Create.class, UsersCommand.Passwd.class,
        UsersCommand.Delete.class})
public final class UsersCommand implements Runnable {
  static final List<String> MECHANISMS = List.of("SCRAM-SHA-256", "SCRAM-SHA-512");

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: list, create, passwd or delete");
  }

  static String userPath(String name) {
    return "/api/users/" + BrookHttp.encode(name);
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "One line per credential: the user, its SCRAM mechanism and iteration count.")
  static final class ListUsers implements Runnable {
    static final String[] HEADER = {"NAME", "MECHANISM", "ITERATIONS"};

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      Map<String, Object> answer = BrookCli.http(spec).get("/api/users");
      List<String[]> rows = new ArrayList<>();
      rows.add(HEADER);
      for (Object item : array(answer.get("users"))) {
        Map<String, Object> user = object(item);
        for (Object credential : array(user.get("credentials"))) {
          Map<String, Object> scram = object(credential);
          rows.add(new String[] {text(user, "name"), text(scram, "mechanism"),
              Long.toString(number(scram, "iterations"))});
        }
      }
      ClusterCommand.printTable(TopicsCommand.out(spec), rows);
    }
  }

  /** The options of a new password and its hashing: a mixin of create and passwd. */
  static final class NewPassword {
    @Option(names = "--mechanism", paramLabel = "MECHANISM", converter = MechanismConverter.class,
        description = "SCRAM-SHA-256 or SCRAM-SHA-512 (default: the broker's, SCRAM-SHA-256).")
    String mechanism;

    @Option(names = "--iterations", paramLabel = "N", converter = Arguments.AtLeastOne.class,
        description = "SCRAM iterations (default: the broker's, 4096; Kafka accepts 4096 to 16384).")
    Integer iterations;

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
      @Option(names = "--new-password-file", paramLabel = "FILE",
          description = "The new password is this file's first line.")
      Path file;

      @Option(names = "--new-password-stdin", description = "The new password is the first line of stdin.")
      boolean stdin;
    }

    /** The new password: from the file, stdin, or typed twice at the console. */
    String read(CommandSpec spec, String user) {
      if (source != null && source.file != null) {
        try {
          return Credentials.firstLine(source.file, "--new-password-file");
        } catch (CliException unreadable) {
          throw new ParameterException(spec.commandLine(), unreadable.getMessage());
        }
      }
      if (source != null && source.stdin) {
        return fromStdin(spec);
      }
      return typedTwice(spec, user);
    }

    private static String fromStdin(CommandSpec spec) {
      String line;
      try {
        line = Credentials.firstLine(BrookCli.stdin(spec));
      } catch (IOException e) {
        throw new CliException("cannot read the new password from stdin: " + e.getMessage(), e);
      }
      if (line.isEmpty()) {
        throw new CliException("no new password on the first line of stdin");
      }
      return line;
    }

    private static String typedTwice(CommandSpec spec, String user) {
      PasswordPrompt prompt = BrookCli.prompt(spec);
      if (!prompt.available()) {
        throw new ParameterException(spec.commandLine(), "no new password: give --new-password-file FILE or "
            + "--new-password-stdin (there is no console to ask on)");
      }
      char[] first = prompt.read("New password for " + user + ": ");
      if (first == null || first.length == 0) {
        throw new CliException("no new password entered");
      }
      char[] second = prompt.read("Retype the new password for " + user + ": ");
      try {
        if (!Arrays.equals(first, second)) {
          throw new CliException("the passwords do not match; nothing changed");
        }
        return new String(first);
      } finally {
        Arrays.fill(first, '\0');
        if (second != null) {
          Arrays.fill(second, '\0');
        }
      }
    }

    /** The request body: the password, and the mechanism and iterations when given (else the broker's). */
    byte[] body(String name, String password) {
      Map<String, Object> body = new LinkedHashMap<>();
      if (name != null) {
        body.put("name", name);
      }
      body.put("password", password);
      if (mechanism != null) {
        body.put("mechanism", mechanism);
      }
      if (iterations != null) {
        body.put("iterations", iterations);
      }
      return TopicsCommand.bytes(Json.write(body));
    }
  }

  /** {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}, in any case. */
  static final class MechanismConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String mechanism = value.trim().toUpperCase(Locale.ROOT);
      if (!MECHANISMS.contains(mechanism)) {
        throw new TypeConversionException("expected SCRAM-SHA-256 or SCRAM-SHA-512, was '" + value + "'");
      }
      return mechanism;
    }
  }

  /** A user name as it goes into a URL path: not empty, not {@code .} or {@code ..}. */
  static final class UserName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isEmpty()) {
        throw new TypeConversionException("a user name must not be empty");
      }
      if (value.equals(".") || value.equals("..")) {
        throw new TypeConversionException("'" + value + "' is not a user name");
      }
      return value;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a user: a SCRAM credential for its name. A user has one credential per mechanism; "
          + "a second of the same mechanism is refused (change it with 'brook users passwd')."})
  static final class Create implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", converter = UserName.class, description = "The user's name.")
    String name;

    @Mixin
    NewPassword newPassword;

    @Override
    public void run() {
      BrookHttp http = BrookCli.http(spec);
      String password = newPassword.read(spec, name);
      Map<String, Object> answer = withHint(() -> http.post("/api/users", newPassword.body(name, password)),
          "DUPLICATE_RESOURCE", "change the password with: brook users passwd " + name);
      TopicsCommand.out(spec).println("Created user " + name + " " + describe(answer) + ".");
    }
  }

  @Command(name = "passwd", mixinStandardHelpOptions = true,
      description = "Change a user's password (the credential of --mechanism, default the broker's).")
  static final class Passwd implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", converter = UserName.class, description = "The user's name.")
    String name;

    @Mixin
    NewPassword newPassword;

    @Override
    public void run() {
      BrookHttp http = BrookCli.http(spec);
      String password = newPassword.read(spec, name);
      Map<String, Object> answer = withHint(() -> http.put(userPath(name), newPassword.body(null, password)),
          "RESOURCE_NOT_FOUND", "create it with: brook users create " + name);
      TopicsCommand.out(spec).println("Changed the password of user " + name + " " + describe(answer) + ".");
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user: all its credentials.")
  static final class Delete implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", converter = UserName.class, description = "The user's name.")
    String name;

    @Override
    public void run() {
      Map<String, Object> answer = BrookCli.http(spec).delete(userPath(name));
      List<String> deleted = new ArrayList<>();
      array(answer.get("deleted")).forEach(mechanism -> deleted.add(String.valueOf(mechanism)));
      TopicsCommand.out(spec).println("Deleted user " + name
          + (deleted.isEmpty() ? "" : " (" + String.join(", ", deleted) + ")") + ".");
    }
  }

  /** "(SCRAM-SHA-256, 4096 iterations)" from the API's answer. */
  /** The answer of {@code call}; when it fails with {@code error}, that failure and what to do instead. */
  private static Map<String, Object> withHint(java.util.function.Supplier<Map<String, Object>> call, String error,
      String hint) {
    try {
      return call.get();
    } catch (ApiException e) {
      if (e.error().equals(error)) {
        throw new CliException(e.getMessage() + " (" + hint + ")", e);
      }
      throw e;
    }
  }

  private static String describe(Map<String, Object> answer) {
    return "(" + text(answer, "mechanism") + ", " + number(answer, "iterations") + " iterations)";
  }
}
