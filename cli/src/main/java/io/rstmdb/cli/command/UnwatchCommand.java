package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "unwatch",
    description = {
      "Cancel a subscription of this session.",
      "Subscriptions belong to their connection, so a one-shot unwatch finds nothing; use it in the"
          + " REPL."
    })
public final class UnwatchCommand extends RemoteCommand {

  @Parameters(index = "0", paramLabel = "SUB_ID", description = "Subscription id.")
  String subscriptionId;

  public UnwatchCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    JsonNode result = send("UNWATCH", params().put("subscription_id", subscriptionId));
    printer.result(
        result,
        out ->
            out.println(
                result.path("removed").asBoolean()
                    ? "Removed subscription " + subscriptionId
                    : "Warning: subscription " + subscriptionId + " not found"));
    return ExitCode.OK;
  }
}
