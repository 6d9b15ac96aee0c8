package io.rstmdb.cli;

import io.rstmdb.cli.bench.BenchCommand;
import io.rstmdb.cli.command.ApplyEventCommand;
import io.rstmdb.cli.command.BatchCommand;
import io.rstmdb.cli.command.CompactCommand;
import io.rstmdb.cli.command.CreateInstanceCommand;
import io.rstmdb.cli.command.DeleteInstanceCommand;
import io.rstmdb.cli.command.FlushAllCommand;
import io.rstmdb.cli.command.GetInstanceCommand;
import io.rstmdb.cli.command.GetMachineCommand;
import io.rstmdb.cli.command.HashTokenCommand;
import io.rstmdb.cli.command.InfoCommand;
import io.rstmdb.cli.command.ListInstancesCommand;
import io.rstmdb.cli.command.ListMachinesCommand;
import io.rstmdb.cli.command.PingCommand;
import io.rstmdb.cli.command.PutMachineCommand;
import io.rstmdb.cli.command.SnapshotInstanceCommand;
import io.rstmdb.cli.command.UnwatchCommand;
import io.rstmdb.cli.command.WalReadCommand;
import io.rstmdb.cli.command.WalStatsCommand;
import io.rstmdb.cli.command.WatchAllCommand;
import io.rstmdb.cli.command.WatchInstanceCommand;
import io.rstmdb.cli.repl.ReplCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rstmdb-cli}: with no subcommand it starts the REPL, like the reference CLI. */
@Command(
    name = "rstmdb-cli",
    mixinStandardHelpOptions = true,
    versionProvider = CliVersion.class,
    description = "Command-line client for rstmdb-java (RCP protocol).",
    footer = {
      "",
      "Exit codes: 0 ok, 1 server error (or output not writable), 2 usage error, 3 connection"
          + " or TLS error, 130 watch stopped by Ctrl+C.",
      "Environment: RSTMDB_SERVER, RSTMDB_TOKEN, RSTMDB_TLS, RSTMDB_CA_CERT, RSTMDB_CLIENT_CERT,"
          + " RSTMDB_CLIENT_KEY (flags win)."
    },
    subcommands = {
      ReplCommand.class,
      PingCommand.class,
      InfoCommand.class,
      HashTokenCommand.class,
      PutMachineCommand.class,
      GetMachineCommand.class,
      ListMachinesCommand.class,
      CreateInstanceCommand.class,
      GetInstanceCommand.class,
      ListInstancesCommand.class,
      DeleteInstanceCommand.class,
      ApplyEventCommand.class,
      BatchCommand.class,
      SnapshotInstanceCommand.class,
      WalReadCommand.class,
      WalStatsCommand.class,
      CompactCommand.class,
      FlushAllCommand.class,
      WatchInstanceCommand.class,
      WatchAllCommand.class,
      UnwatchCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
final class RootCommand implements Callable<Integer> {

  private final CliContext ctx;

  @Mixin GlobalOptions global;

  RootCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    return new ReplCommand(ctx).call();
  }
}
