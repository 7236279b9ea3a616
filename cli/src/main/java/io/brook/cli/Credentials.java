package io.brook.cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The user the CLI authenticates as, and its HTTP {@code Authorization} header (Basic, sent with every request).
 * The password comes from, in this order: {@code --password-file}, {@code $BROOK_PASSWORD},
 * {@code $BROOK_PASSWORD_FILE}, or a no-echo prompt on the console; never from a command-line value (it would show in
 * {@code ps} and the shell's history). Nothing here prints the password or puts it in a message. A problem found here
 * is a {@link CliException} that the caller reports as a usage error: no request has been sent.
 */
record Credentials(String user, String authorization) {
  static final String USER_ENV = "BROOK_USER";
  static final String PASSWORD_ENV = "BROOK_PASSWORD";
  static final String PASSWORD_FILE_ENV = "BROOK_PASSWORD_FILE";

  @Override
  public String toString() {
    return "Credentials[user=" + user + "]"; // never the header: it is the password in base64
  }

  /**
   * The credentials from the options and the environment, or null when no user is given (anonymous requests).
   * {@code where} names the node in the prompt.
   */
  static Credentials resolve(String userOption, Path passwordFileOption, Map<String, String> env,
      PasswordPrompt prompt, String where) {
    String user = userOption != null ? userOption : nonEmpty(env.get(USER_ENV));
    if (user == null) {
      throwIfPasswordWithoutUser(passwordFileOption, env);
      return null;
    }
    if (user.isEmpty()) {
      throw new CliException("--user must not be empty");
    }
    if (user.indexOf(':') >= 0) {
      throw new CliException("the user name '" + user + "' contains ':', which HTTP Basic credentials cannot carry");
    }
    String password = password(user, passwordFileOption, env, prompt, where);
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new Credentials(user, "Basic " + token);
  }

  private static void throwIfPasswordWithoutUser(Path passwordFileOption, Map<String, String> env) {
    String source = passwordFileOption != null ? "--password-file"
        : nonEmpty(env.get(PASSWORD_ENV)) != null ? "$" + PASSWORD_ENV
        : nonEmpty(env.get(PASSWORD_FILE_ENV)) != null ? "$" + PASSWORD_FILE_ENV : null;
    if (source != null) {
      throw new CliException(source + " is given but no user: give --user NAME or set $" + USER_ENV);
    }
  }

  private static String password(String user, Path passwordFileOption, Map<String, String> env,
      PasswordPrompt prompt, String where) {
    if (passwordFileOption != null) {
      return firstLine(passwordFileOption, "--password-file");
    }
    String fromEnv = nonEmpty(env.get(PASSWORD_ENV));
    if (fromEnv != null) {
      return fromEnv;
    }
    String file = nonEmpty(env.get(PASSWORD_FILE_ENV));
    if (file != null) {
      return firstLine(Path.of(file), "$" + PASSWORD_FILE_ENV);
    }
    if (!prompt.available()) {
      throw new CliException("no password for user " + user + ": set $" + PASSWORD_ENV + " or $" + PASSWORD_FILE_ENV
          + ", or give --password-file FILE (there is no console to ask on)");
    }
    char[] typed = prompt.read("Password for " + user + " at " + where + ": ");
    if (typed == null || typed.length == 0) {
      throw new CliException("no password entered for user " + user);
    }
    return new String(typed);
  }

  /**
   * The first line of {@code file} without its line end: a password file, as {@code --password-file} and
   * {@code --new-password-file} read it. Unreadable or empty: a {@link CliException} naming {@code option}.
   */
  static String firstLine(Path file, String option) {
    String line;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      line = reader.readLine();
    } catch (NoSuchFileException e) {
      throw new CliException("cannot read " + option + " " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CliException("cannot read " + option + " " + file + ": permission denied");
    } catch (IOException e) {
      throw new CliException("cannot read " + option + " " + file + ": " + e.getMessage());
    }
    if (line == null || line.isEmpty()) {
      throw new CliException(option + " " + file + " has no password on its first line");
    }
    return line;
  }

  /** Longer first lines of stdin are refused rather than buffered: no password is this long. */
  static final int MAX_LINE_BYTES = 8192;

  /**
   * The first line of {@code in} without its line end ({@code \n} or {@code \r\n}); "" at once at end of input.
   * Reads no further than the line end, at most {@link #MAX_LINE_BYTES}.
   */
  static String firstLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      if (line.size() == MAX_LINE_BYTES) {
        throw new CliException("the first line of stdin is longer than " + MAX_LINE_BYTES + " bytes");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.UTF_8);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  private static String nonEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
