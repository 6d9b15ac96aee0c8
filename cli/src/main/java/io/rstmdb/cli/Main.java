package io.rstmdb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.cli.connect.ConnectionFailedException;
import io.rstmdb.cli.connect.Connector;
import io.rstmdb.cli.connect.InvalidRequestException;
import io.rstmdb.cli.connect.RcpConnector;
import io.rstmdb.cli.connect.ServerErrorException;
import io.rstmdb.protocol.transport.UnknownTransportException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** Entry point of {@code rstmdb-cli}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.in, System.getenv()));
  }

  /** Runs one invocation against real servers; returns the process exit code. */
  public static int run(
      String[] args, PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
    return run(args, out, err, in, env, new RcpConnector());
  }

  /**
   * As {@link #run(String[], PrintStream, PrintStream, InputStream, Map)} with a chosen connector.
   */
  public static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      InputStream in,
      Map<String, String> env,
      Connector connector) {
    GlobalOptions global = new GlobalOptions();
    try (CliContext ctx =
        new CliContext(out, err, in, env, global, connector, new ObjectMapper())) {
      CommandLine cli = commandLine(ctx);
      int code = cli.execute(args);
      // A PrintStream swallows write errors: without this, 'wal-read > /dev/full' exits 0.
      if (code == ExitCode.OK.code() && out.checkError()) {
        err.println("ERROR: cannot write to standard output");
        return ExitCode.SERVER_ERROR.code();
      }
      return code;
    }
  }

  /** The full command tree bound to {@code ctx}; the REPL reuses it for one-shot commands. */
  public static CommandLine commandLine(CliContext ctx) {
    CommandLine cli = new CommandLine(RootCommand.class, new CliFactory(ctx));
    addShortVerbose(cli, ctx.global());
    cli.getSubcommands().values().forEach(Main::addHelp);
    // "@file.json" names a JSON argument (reference CLI), not a picocli argument file.
    cli.setExpandAtFiles(false);
    cli.setOut(new java.io.PrintWriter(ctx.out(), true));
    cli.setErr(new java.io.PrintWriter(ctx.err(), true));
    cli.setParameterExceptionHandler((e, args) -> usageError(e, ctx.err()));
    cli.setExecutionExceptionHandler((e, line, parsed) -> failure(e, ctx));
    return cli;
  }

  /**
   * {@code -v} means verbose everywhere except where a command uses it for {@code --version}
   * (put-machine, get-machine keep the reference CLI's flag), so it cannot be a plain inherited
   * option.
   */
  private static void addShortVerbose(CommandLine cli, GlobalOptions global) {
    if (cli.getCommandSpec().findOption("-v") == null) {
      cli.getCommandSpec()
          .addOption(
              OptionSpec.builder("-v")
                  .arity("0")
                  .type(boolean.class)
                  .hidden(true)
                  .setter(
                      new CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                          if (Boolean.TRUE.equals(value)) {
                            global.enableVerbose();
                          }
                          return null;
                        }
                      })
                  .build());
    }
    cli.getSubcommands().values().forEach(sub -> addShortVerbose(sub, global));
  }

  /**
   * {@code -h/--help} on every command. Not picocli's standard help mixin: its {@code -V} would
   * clash with the reference CLI's {@code -V} (machine version) of create-instance.
   */
  private static void addHelp(CommandLine cli) {
    if (cli.getCommandSpec().findOption("--help") == null) {
      cli.getCommandSpec()
          .addOption(
              OptionSpec.builder("-h", "--help")
                  .usageHelp(true)
                  .description("Show this help message and exit.")
                  .build());
    }
    cli.getSubcommands().values().forEach(Main::addHelp);
  }

  private static int usageError(ParameterException e, PrintStream err) {
    err.println("ERROR: " + e.getMessage());
    String name = e.getCommandLine().getCommandSpec().qualifiedName();
    err.println("Try '" + name + " --help' for more information.");
    return ExitCode.USAGE.code();
  }

  /** Maps every failure to one line on stderr and a documented exit code. */
  static int failure(Exception e, CliContext ctx) {
    PrintStream err = ctx.err();
    if (e instanceof ServerErrorException) {
      ServerErrorException s = (ServerErrorException) e;
      err.println("ERROR " + s.code() + ": " + s.getMessage());
      return ExitCode.SERVER_ERROR.code();
    }
    if (ctx.global().verbose()) {
      e.printStackTrace(err);
    }
    if (e instanceof ConnectionFailedException) {
      err.println("ERROR: " + e.getMessage());
      return ExitCode.CONNECTION.code();
    }
    if (e instanceof UsageException
        || e instanceof InvalidRequestException
        || e instanceof UnknownTransportException) {
      err.println("ERROR: " + e.getMessage());
      return ExitCode.USAGE.code();
    }
    err.println(
        "ERROR: unexpected failure: " + e + (ctx.global().verbose() ? "" : " (-v for details)"));
    return ExitCode.SERVER_ERROR.code();
  }
}
