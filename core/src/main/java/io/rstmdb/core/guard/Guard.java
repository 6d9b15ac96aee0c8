package io.rstmdb.core.guard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A compiled guard expression (state-machines.md §6): a boolean condition over an instance's
 * context such as {@code ctx.amount > 100 && ctx.status == "active"}.
 *
 * <p>Compiled once, when a definition is stored; immutable and safe to share between threads.
 * Evaluation never fails: missing fields, type mismatches and a {@code null} context simply make
 * comparisons false. Two guards are equal when their texts are equal.
 */
public final class Guard {
  private final String text;
  private final Expr root;

  private Guard(String text, Expr root) {
    this.text = text;
    this.root = root;
  }

  /**
   * Compiles {@code text}.
   *
   * @throws io.rstmdb.core.error.RstmdbException BAD_REQUEST {@code invalid guard expression:
   *     <reason> at position <n>}, n being the 0-based code-point index in {@code text}
   */
  public static Guard compile(String text) {
    Objects.requireNonNull(text, "text");
    return new Guard(text, GuardParser.parse(text));
  }

  /** Whether the guard holds for {@code ctx} (the instance context; null = no fields at all). */
  public boolean test(JsonNode ctx) {
    return root.test(ctx);
  }

  /** The source text exactly as given, untrimmed (it is what the normalized definition stores). */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Guard other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
