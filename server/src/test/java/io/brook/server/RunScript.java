package io.brook.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The repository's {@code run.sh}, run by tests from a directory of their choosing. */
final class RunScript {
  /** The repository root: surefire runs a module's tests in the module's directory. */
  static final Path HOME = Path.of("").toAbsolutePath().getParent();

  record Result(int exitCode, String output) {
    /** The lines of the output (one argument a line for --print-command). */
    List<String> lines() {
      return output.lines().toList();
    }
  }

  private RunScript() {}

  static Result run(Path workingDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", HOME.resolve("run.sh").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes(); // until it exits and closes its output
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("run.sh " + String.join(" ", args) + " did not finish");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
