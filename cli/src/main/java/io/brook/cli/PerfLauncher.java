package io.brook.cli;

import io.brook.bench.PerfCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code brook perf ...}: hands its arguments to the bench module's {@link PerfCommand}. A stand-in
 * rather than PerfCommand itself, because registering PerfCommand makes picocli load it and its
 * Vert.x-typed subcommands on every run (~0.5 s), which {@code brook topics list} must not pay.
 */
@Command(name = "perf", description = "Measure Brook (joins the cluster): perf produce|consume|e2e; see 'brook perf --help'.")
public final class PerfLauncher implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Arguments of the perf tool.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    // PerfCommand.main quiets cluster logging and exits with the tool's code, as when run standalone
    PerfCommand.main(args.toArray(new String[0]));
    return 0;
  }
}
