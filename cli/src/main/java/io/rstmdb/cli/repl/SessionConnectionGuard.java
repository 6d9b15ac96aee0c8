package io.rstmdb.cli.repl;

import io.rstmdb.cli.ExitCode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Refuses a REPL line that tries to choose the connection ({@code ping -s other:7401}, {@code get
 * o-1 -t token}). The session connects once, on its first command: such a flag either took over the
 * whole session (when it came first) or was ignored while the line ran on the session's connection,
 * so it looked as if the other server or token had been used. Neither is what the user asked for,
 * and quietly ignoring a token or TLS flag is risky, so the line is a usage error.
 */
final class SessionConnectionGuard implements IExecutionStrategy {

  private final Set<String> connectionOptions;
  private final PrintStream err;
  private final IExecutionStrategy next;

  SessionConnectionGuard(Set<String> connectionOptions, PrintStream err, IExecutionStrategy next) {
    this.connectionOptions = connectionOptions;
    this.err = err;
    this.next = next;
  }

  @Override
  public int execute(ParseResult parsed) {
    List<String> given = new ArrayList<>();
    // Global options are inherited, so they are matched on whichever command of the line holds
    // them.
    for (ParseResult command = parsed; command != null; command = command.subcommand()) {
      for (OptionSpec option : command.matchedOptions()) {
        if (connectionOptions.contains(option.longestName())
            && !given.contains(option.longestName())) {
          given.add(option.longestName());
        }
      }
    }
    if (given.isEmpty()) {
      return next.execute(parsed);
    }
    err.println(
        "ERROR: "
            + String.join(", ", given)
            + " cannot change the connection of a REPL session: the session keeps the connection"
            + " it was opened with (reconnect reopens it the same way); start rstmdb-cli with "
            + (given.size() == 1 ? "this flag" : "these flags")
            + " instead");
    return ExitCode.USAGE.code();
  }
}
