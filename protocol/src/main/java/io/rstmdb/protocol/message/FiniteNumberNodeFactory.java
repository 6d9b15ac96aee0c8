package io.rstmdb.protocol.message;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.math.BigInteger;

/**
 * Builds JSON trees that refuse numbers beyond double range. Jackson reads {@code 1e400} as
 * infinity; serde_json (and so the reference server) refuses it, and infinity has no JSON form to
 * write back (it would go out as {@code null}). The server's request parser and the CLI's JSON
 * arguments read through it, so both refuse the same input; reading throws {@link
 * IllegalArgumentException}.
 *
 * <pre>{@code
 * JsonNode tree = mapper.reader().with(new FiniteNumberNodeFactory()).readTree(text);
 * }</pre>
 */
public final class FiniteNumberNodeFactory extends JsonNodeFactory {
  private static final long serialVersionUID = 1L;

  @Override
  public NumericNode numberNode(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("a number is out of range (at most ±1.8e308)");
    }
    return super.numberNode(v);
  }

  /**
   * Integers written as plain digits outside the 64-bit range arrive here. Those beyond double
   * range (more than about 309 digits) are refused like {@code 1e400}: they would otherwise be
   * stored and written back as {@code null}.
   */
  @Override
  public ValueNode numberNode(BigInteger v) {
    if (v != null && !Double.isFinite(v.doubleValue())) {
      throw new IllegalArgumentException("a number is out of range (at most ±1.8e308)");
    }
    return super.numberNode(v);
  }

  @Override
  public NumericNode numberNode(float v) {
    return numberNode((double) v);
  }
}
