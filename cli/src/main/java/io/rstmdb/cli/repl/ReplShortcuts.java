package io.rstmdb.cli.repl;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The reference REPL's positional commands and aliases, rewritten as one-shot command lines. A line
 * whose first argument is a flag ({@code put-machine -n x ...}) is left to the one-shot parser.
 */
final class ReplShortcuts {

  static final Set<String> NAMES =
      Set.of(
          "help",
          "?",
          "quit",
          "exit",
          "q",
          "reconnect",
          "rc",
          "pm",
          "gm",
          "lm",
          "create",
          "c",
          "get",
          "g",
          "li",
          "delete",
          "d",
          "apply",
          "a",
          "wal",
          "ws");

  private ReplShortcuts() {}

  /**
   * The one-shot arguments for a short command, or empty when the line is not one.
   *
   * @throws IllegalArgumentException with the usage text when the arguments do not fit
   * @throws io.rstmdb.cli.UsageException for an unclosed quote
   */
  static Optional<List<String>> translate(ReplLine line) {
    String command = line.word(0);
    // Positional arguments are words 1.., so `args` counts them and arg(i) is line.word(i + 1).
    int args = line.size() - 1;
    boolean flags = args > 0 && line.word(1).startsWith("-");
    switch (command) {
      case "pm":
      case "put-machine":
        if (flags || args < 3) {
          return shortOnly(command, "pm", "pm <name> <version> <json...>");
        }
        return Optional.of(
            List.of("put-machine", "-n", line.word(1), "-v", line.word(2), line.rest(3)));
      case "gm":
      case "get-machine":
        if (flags || args != 2) {
          return shortOnly(command, "gm", "gm <name> <version>");
        }
        return Optional.of(List.of("get-machine", "-n", line.word(1), "-v", line.word(2)));
      case "lm":
        return Optional.of(List.of("list-machines"));
      case "ws":
        return Optional.of(List.of("wal-stats"));
      case "create":
      case "c":
        if (args < 2) {
          throw usage("create <machine> <version> [id] [ctx_json]");
        }
        List<String> create =
            new ArrayList<>(List.of("create-instance", "-m", line.word(1), "-V", line.word(2)));
        if (args >= 3) {
          create.addAll(List.of("-i", line.word(3)));
        }
        if (args >= 4) {
          create.addAll(List.of("-c", line.rest(4)));
        }
        return Optional.of(create);
      case "get":
      case "g":
        if (args != 1) {
          throw usage("get <id>");
        }
        return Optional.of(List.of("get-instance", line.word(1)));
      case "li":
      case "list-instances":
        if (flags) {
          return Optional.empty();
        }
        List<String> list = new ArrayList<>(List.of("list-instances", "--limit", "50"));
        if (args >= 1) {
          list.addAll(List.of("--machine", line.word(1)));
        }
        if (args >= 2) {
          list.addAll(List.of("--state", line.word(2)));
        }
        return Optional.of(list);
      case "delete":
      case "d":
        if (args != 1) {
          throw usage("delete <id>");
        }
        return Optional.of(List.of("delete-instance", line.word(1)));
      case "apply":
      case "a":
        if (args < 2) {
          throw usage("apply <id> <event> [payload_json]");
        }
        List<String> apply =
            new ArrayList<>(List.of("apply-event", "-i", line.word(1), "-e", line.word(2)));
        if (args >= 3) {
          apply.addAll(List.of("-p", line.rest(3)));
        }
        return Optional.of(apply);
      case "wal":
        List<String> wal = new ArrayList<>(List.of("wal-read"));
        if (args >= 1) {
          wal.addAll(List.of("-f", line.word(1)));
        }
        wal.addAll(List.of("-l", args >= 2 ? line.word(2) : "100"));
        return Optional.of(wal);
      default:
        return Optional.empty();
    }
  }

  /** Refuses a short command with the wrong number of arguments before anything is sent. */
  private static IllegalArgumentException usage(String text) {
    return new IllegalArgumentException("Usage: " + text);
  }

  /**
   * The short alias with wrong arguments is a usage error; the long name falls through to the
   * one-shot parser, which reports its own usage.
   */
  private static Optional<List<String>> shortOnly(String command, String alias, String usage) {
    if (command.equals(alias)) {
      throw usage(usage);
    }
    return Optional.empty();
  }

  static void printHelp(PrintStream out) {
    out.println("Commands (aliases in parentheses):");
    out.println("  help (?)                                  this text");
    out.println("  quit, exit (q)                            leave (Ctrl+D works too)");
    out.println("  reconnect (rc)                            open a fresh session");
    out.println("  ping, info                                check the server");
    out.println("  put-machine (pm) <name> <ver> <json...>   register a definition");
    out.println("  get-machine (gm) <name> <ver>             show a definition");
    out.println("  list-machines (lm)                        list machines");
    out.println("  create (c) <machine> <ver> [id] [ctx]     create an instance");
    out.println("  get (g) <id>                              show an instance");
    out.println("  list-instances (li) [machine] [state]     list up to 50 instances");
    out.println("  delete (d) <id>                           delete an instance");
    out.println("  apply (a) <id> <event> [payload]          apply an event");
    out.println("  wal [from] [limit]                        read WAL records");
    out.println("  wal-stats (ws)                            WAL statistics");
    out.println("Every one-shot command also works with its flags, e.g.");
    out.println("  apply-event -i o-1 -e PAY --expected-state created -p '{\"amount\": 10}'");
  }
}
