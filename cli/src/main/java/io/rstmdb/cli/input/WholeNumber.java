package io.rstmdb.cli.input;

import java.math.BigInteger;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A numeric option checked against the range of the protocol field it fills. The server would
 * refuse the rest with BAD_REQUEST (exit 1); caught here it is a usage error (exit 2) and nothing
 * is sent. Picocli names the option in its message ({@code Invalid value for option '--limit':
 * ...}), so the ranges below only say what is wrong with the value.
 *
 * <p>Options pick a range with {@code converter = WholeNumber.U32.class} and friends.
 */
public abstract class WholeNumber implements ITypeConverter<Long> {

  private final long min;
  private final long max;

  WholeNumber(long min, long max) {
    this.min = min;
    this.max = max;
  }

  @Override
  public Long convert(String value) {
    BigInteger n;
    try {
      n = new BigInteger(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number");
    }
    if (n.compareTo(BigInteger.valueOf(min)) < 0) {
      throw new TypeConversionException("'" + value + "' is out of range (at least " + min + ")");
    }
    if (n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new TypeConversionException("'" + value + "' is out of range (at most " + max + ")");
    }
    return n.longValueExact();
  }

  /** A protocol u32: machine versions, LIST_INSTANCES limit and offset. */
  public static final class U32 extends WholeNumber {
    public U32() {
      super(0, 0xFFFF_FFFFL);
    }
  }

  /**
   * A protocol u64 such as a WAL offset or WAL_READ limit. The server reads 2^63 and above as 2^63
   * - 1, beyond any offset it can reach, so a signed long loses nothing.
   */
  public static final class NonNegative extends WholeNumber {
    public NonNegative() {
      super(0, Long.MAX_VALUE);
    }
  }

  /** A count or position where 0 would mean something else (watch's "live only", no limit). */
  public static final class Positive extends WholeNumber {
    public Positive() {
      super(1, Long.MAX_VALUE);
    }
  }
}
