package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's kcat (librdkafka) as a process, installed by {@code ./test.sh}. */
final class Kcat {
  private Kcat() {}

  /**
   * Runs kcat with {@code stdin} (or none), waits up to 90 s, and returns its standard output; fails on a
   * non-zero exit, with its standard error (kept in {@code scratch}).
   */
  static String run(Path scratch, String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("kcat");
    command.addAll(List.of(args));
    Path err = Files.createTempFile(scratch, "kcat", ".err");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("kcat %s finished", command).isTrue();
    assertThat(process.exitValue()).as("kcat %s exit; stderr:\n%s", command, Files.readString(err)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  static List<String> lines(String output) {
    return output.lines().filter(line -> !line.isBlank()).toList();
  }
}
