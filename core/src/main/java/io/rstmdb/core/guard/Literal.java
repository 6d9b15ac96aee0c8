package io.rstmdb.core.guard;

import com.fasterxml.jackson.databind.JsonNode;

/** The right-hand side of {@code ==} / {@code !=}. */
sealed interface Literal {
  /** Machine epsilon of doubles: numbers closer than this are equal (absolute, not relative). */
  double EPSILON = Math.ulp(1.0);

  /** Whether a resolved context value (null when missing) equals this literal. */
  boolean matches(JsonNode value);

  record Null() implements Literal {
    @Override
    public boolean matches(JsonNode value) {
      return value == null || value.isNull() || value.isMissingNode();
    }
  }

  record Bool(boolean expected) implements Literal {
    @Override
    public boolean matches(JsonNode value) {
      return value != null && value.isBoolean() && value.booleanValue() == expected;
    }
  }

  /** A string literal, compared verbatim: the guard language has no escape processing. */
  record Text(String expected) implements Literal {
    @Override
    public boolean matches(JsonNode value) {
      return value != null && value.isTextual() && value.textValue().equals(expected);
    }
  }

  record Number(double expected) implements Literal {
    @Override
    public boolean matches(JsonNode value) {
      return value != null
          && value.isNumber()
          && Math.abs(value.doubleValue() - expected) < EPSILON;
    }
  }
}
