package io.rstmdb.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;

/**
 * A u64 field (an offset or a sequence) read into a Java {@code long}. The wire allows values up to
 * 2^64 − 1; those above {@link Long#MAX_VALUE} are read as {@code Long.MAX_VALUE}, which is just as
 * far beyond every offset the server will ever give out, so they get the answer such a value
 * deserves (a CONFLICT, an empty page, "beyond the WAL head") instead of a type error.
 *
 * <pre>{@code
 * Long from = SaturatedU64.of(params.get("from_offset")); // null: not an integer in 0..2^64-1
 * }</pre>
 */
public final class SaturatedU64 {
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private SaturatedU64() {}

  /** The value, saturated at {@code Long.MAX_VALUE}; null when it is no integer in 0..2^64−1. */
  public static Long of(JsonNode value) {
    if (value == null || !value.isIntegralNumber()) {
      return null;
    }
    if (value.canConvertToLong()) {
      long v = value.longValue();
      return v < 0 ? null : v;
    }
    BigInteger big = value.bigIntegerValue();
    return big.signum() > 0 && big.compareTo(U64_MAX) <= 0 ? Long.MAX_VALUE : null;
  }
}
