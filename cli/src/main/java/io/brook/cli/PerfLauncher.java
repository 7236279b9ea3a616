package io.brook.cli;

import io.brook.bench.PerfCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brook perf ...}: hands its arguments to the bench module's {@link PerfCommand}. A stand-in
 * rather than PerfCommand itself, because registering PerfCommand makes picocli load it and its
 * Vert.x-typed subcommands on every run (~0.5 s), which {@code brook topics list} must not pay.
 */
@Command(name = "perf", description = "Measure Brook (joins the cluster): perf " + PerfLauncher.TOOLS
    + "; see 'brook perf --help'.")
public final class PerfLauncher implements Callable<Integer> {
  /** PerfCommand's subcommands, named here so that the help does not load them (a test keeps the two the same). */
  static final String TOOLS = "produce|consume|e2e|failover|metadata|commit|rebalance";

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Arguments of the perf tool.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    String[] perfArgs = args.toArray(new String[0]);
    // the perf tool's own command line would answer a bad argument with its whole usage, then exit: check first,
    // and report it as every other brook command does
    CommandLine check = new CommandLine(new PerfCommand());
    check.setErr(spec.commandLine().getErr());
    try {
      check.parseArgs(perfArgs);
    } catch (ParameterException badUsage) {
      return BrookCli.reportUsageError(badUsage, ""); // PerfCommand's name is "brook perf"
    }
    // PerfCommand.main quiets cluster logging and exits with the tool's code, as when run standalone
    PerfCommand.main(perfArgs);
    return 0;
  }
}
