package io.rstmdb.cli.bench;

import io.rstmdb.cli.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "bench", description = "Load generator.")
public final class BenchCommand implements Callable<Integer> {
  private final CliContext ctx;

  public BenchCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    ctx.err().println("todo");
    return 2;
  }
}
