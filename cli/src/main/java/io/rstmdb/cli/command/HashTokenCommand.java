package io.rstmdb.cli.command;

import io.rstmdb.cli.CliContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "hash-token",
    description = {
      "Print the SHA-256 hash (lowercase hex) of a token.",
      "The server's auth.token_hashes (or secrets file) lists these hashes."
    })
public final class HashTokenCommand implements Callable<Integer> {

  private final CliContext ctx;

  @Parameters(index = "0", paramLabel = "TOKEN", description = "The plaintext bearer token.")
  String token;

  public HashTokenCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** {@code lowercase_hex(SHA-256(UTF-8 bytes))}, exactly what the server stores. */
  public static String hash(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public Integer call() {
    String hash = hash(token);
    ctx.printer()
        .result(ctx.mapper().createObjectNode().put("token_hash", hash), out -> out.println(hash));
    return 0;
  }
}
