package io.rstmdb.cli.repl;

import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.GlobalOptions;
import io.rstmdb.cli.Main;
import io.rstmdb.cli.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The interactive shell: the reference REPL's short commands (translated into the one-shot
 * commands, so output is the same) plus every one-shot command with its usual flags, all over one
 * session.
 */
@Command(name = "repl", description = "Interactive shell (the default when no command is given).")
public final class ReplCommand implements Callable<Integer> {

  private final CliContext ctx;

  /** Global flags a short command may end with; they apply to that line only. */
  private static final Set<String> LINE_FLAGS = Set.of("--json", "--verbose");

  /** Global options a line may not give: the session keeps the connection it was opened with. */
  private final Set<String> connectionOptions = GlobalOptions.connectionOptionNames();

  /** The highest exit code of the lines run so far (0, 1 server error, 2 usage, 3 connection). */
  private int worst;

  public ReplCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    List<String> oneShot = oneShotCommands();
    boolean interactive;
    try (LineSource lines = lineSource(oneShot)) {
      interactive = lines instanceof TerminalLineSource;
      while (true) {
        Optional<String> line = lines.next();
        if (line.isEmpty()) {
          break;
        }
        if (!handle(line.get().trim(), oneShot, lines)) {
          break;
        }
        if (!interactive && worst == ExitCode.CONNECTION.code()) {
          // Every later line of a script would fail the same way, each after its own timeout.
          ctx.err().println("ERROR: the connection failed; the rest of the script is not run");
          break;
        }
      }
    }
    ctx.disconnect();
    // A script piped in reports its worst line, so that `... | rstmdb-cli && next` means something.
    return interactive ? 0 : worst;
  }

  private LineSource lineSource(List<String> oneShot) {
    if (ctx.in() == System.in && System.console() != null) {
      TreeSet<String> names = new TreeSet<>(oneShot);
      names.addAll(ReplShortcuts.NAMES);
      return new TerminalLineSource(historyFile(), names);
    }
    return new PlainLineSource(ctx.in());
  }

  private Path historyFile() {
    String home = ctx.env().getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".rstmdb_history");
  }

  /** Runs one line; false means the user asked to leave. */
  private boolean handle(String text, List<String> oneShot, LineSource lines) {
    if (text.isEmpty() || text.startsWith("#")) {
      return true;
    }
    ReplLine line = ReplLine.parse(text);
    try {
      return handle(line, oneShot, lines);
    } catch (UsageException e) {
      ctx.err().println("ERROR: " + e.getMessage());
      worst = Math.max(worst, ExitCode.USAGE.code());
      return true;
    }
  }

  private boolean handle(ReplLine line, List<String> oneShot, LineSource lines) {
    String command = line.word(0);
    PrintStream out = ctx.out();
    switch (command) {
      case "quit":
      case "exit":
      case "q":
        return false;
      case "help":
      case "?":
        ReplShortcuts.printHelp(out);
        return true;
      case "reconnect":
      case "rc":
        ctx.disconnect();
        lines.run(() -> execute(List.of("ping")));
        return true;
      default:
        break;
    }
    // Global flags after a short command's arguments (g o-1 --json) apply to its line, as they do
    // after a one-shot command's; the short commands' own parsing is positional, so take them off.
    List<String> trailing = new ArrayList<>();
    ReplLine shortLine = line;
    if (ReplShortcuts.NAMES.contains(command)) {
      while (shortLine.size() > 1) {
        ReplLine current = shortLine;
        Optional<String> flag = LINE_FLAGS.stream().filter(current::endsWith).findFirst();
        if (flag.isEmpty()) {
          break;
        }
        trailing.add(0, flag.get());
        shortLine = shortLine.withoutLast();
      }
    }
    Optional<List<String>> translated;
    try {
      translated =
          ReplShortcuts.translate(shortLine)
              .map(
                  args -> {
                    List<String> withFlags = new ArrayList<>(args);
                    withFlags.addAll(trailing);
                    return withFlags;
                  });
    } catch (IllegalArgumentException usage) {
      ctx.err().println(usage.getMessage());
      worst = Math.max(worst, ExitCode.USAGE.code());
      return true;
    }
    if (translated.isPresent()) {
      List<String> args = translated.get();
      lines.run(() -> execute(args));
    } else if (oneShot.contains(command) && !command.equals("repl")) {
      List<String> words = line.words();
      lines.run(() -> execute(words));
    } else {
      // The reference's wording, but on stderr with the other errors: in a piped script's stdout
      // it would be mixed into the --json documents a caller collects.
      ctx.err().println("Unknown command: " + command + ". Type 'help' for help.");
      worst = Math.max(worst, ExitCode.USAGE.code());
    }
    return true;
  }

  /**
   * Runs a one-shot command line on the shared session. Global flags on the line (--json, -v) apply
   * to that line only; flags that choose the connection are refused (SessionConnectionGuard).
   */
  private void execute(List<String> args) {
    GlobalOptions saved = ctx.global().snapshot();
    try {
      CommandLine cli = Main.commandLine(ctx);
      cli.setExecutionStrategy(
          new SessionConnectionGuard(connectionOptions, ctx.err(), cli.getExecutionStrategy()));
      worst = Math.max(worst, cli.execute(args.toArray(new String[0])));
      ctx.out().flush();
    } finally {
      ctx.global().restore(saved);
    }
  }

  private List<String> oneShotCommands() {
    return new ArrayList<>(Main.commandLine(ctx).getSubcommands().keySet());
  }
}
