package io.rstmdb.core.api;

import io.rstmdb.core.error.RstmdbException;
import java.util.List;

/** One outcome per command, in command order. */
public record BatchResult(List<Item> items) {

  /**
   * Exactly one of {@code result} and {@code error} is non-null. {@code result} is one of {@link
   * CreateInstanceResult}, {@link ApplyEventResult}, {@link DeleteInstanceResult}.
   */
  public record Item(Object result, RstmdbException error) {}
}
