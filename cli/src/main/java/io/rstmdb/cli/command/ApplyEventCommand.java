package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.format.Printer;
import io.rstmdb.cli.input.WholeNumber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply-event", description = "Apply an event to an instance (one transition).")
public final class ApplyEventCommand extends RemoteCommand {

  @Option(
      names = {"-i", "--instance"},
      required = true,
      description = "Instance id.")
  String instance;

  @Option(
      names = {"-e", "--event"},
      required = true,
      description = "Event name.")
  String event;

  @Option(
      names = {"-p", "--payload"},
      paramLabel = "JSON",
      description = "Payload merged into ctx: JSON inline, @file, or - for standard input.")
  String payload;

  @Option(names = "--expected-state", description = "Fail with CONFLICT unless in this state.")
  String expectedState;

  @Option(
      names = "--expected-offset",
      paramLabel = "N",
      converter = WholeNumber.NonNegative.class,
      description = "Fail with CONFLICT unless the instance's last WAL offset is N (N >= 0).")
  Long expectedOffset;

  @Option(names = "--event-id", description = "Caller's event id, stored as last_event_id.")
  String eventId;

  @Option(
      names = "--idempotency-key",
      description = "Retry-safe key: a repeat is not applied twice.")
  String idempotencyKey;

  public ApplyEventCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  protected ExitCode run(Printer printer) {
    ObjectNode p = params().put("instance_id", instance).put("event", event);
    if (payload != null) {
      p.set("payload", json().parse(payload, "payload"));
    }
    if (expectedState != null) {
      p.put("expected_state", expectedState);
    }
    if (expectedOffset != null) {
      p.put("expected_wal_offset", expectedOffset);
    }
    if (eventId != null) {
      p.put("event_id", eventId);
    }
    if (idempotencyKey != null) {
      p.put("idempotency_key", idempotencyKey);
    }
    JsonNode result = send("APPLY_EVENT", p);
    printer.result(
        result,
        out -> {
          boolean applied = result.path("applied").asBoolean(true);
          out.println(
              (applied ? "Applied event " : "Already applied event ") + event + " on " + instance);
          out.println("  " + text(result, "from_state") + " -> " + text(result, "to_state"));
          out.println("  wal offset: " + text(result, "wal_offset"));
        });
    return ExitCode.OK;
  }
}
