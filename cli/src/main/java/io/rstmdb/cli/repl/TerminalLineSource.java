package io.rstmdb.cli.repl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.ArgumentCompleter;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** JLine line editing with persistent history and completion of command names. */
final class TerminalLineSource implements LineSource {

  static final String PROMPT = "rstmdb> ";

  private final Terminal terminal;
  private final LineReader reader;

  TerminalLineSource(Path historyFile, Collection<String> commands) {
    try {
      this.terminal = TerminalBuilder.builder().system(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("rstmdb-cli")
            .variable(LineReader.HISTORY_FILE, historyFile)
            .completer(
                new ArgumentCompleter(new StringsCompleter(commands), NullCompleter.INSTANCE))
            .build();
  }

  @Override
  public Optional<String> next() {
    try {
      return Optional.of(reader.readLine(PROMPT));
    } catch (UserInterruptException e) {
      // Ctrl+C abandons the line being typed, never the session.
      return Optional.of("");
    } catch (EndOfFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void run(Runnable command) {
    Thread runner = Thread.currentThread();
    Terminal.SignalHandler previous =
        terminal.handle(Terminal.Signal.INT, signal -> runner.interrupt());
    try {
      command.run();
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
      Thread.interrupted(); // a Ctrl+C that came after the command finished must not leak on
    }
  }

  @Override
  public void close() {
    try {
      reader.getHistory().save();
      terminal.close();
    } catch (IOException e) {
      // Losing history on exit is not worth failing the session for.
    }
  }
}
