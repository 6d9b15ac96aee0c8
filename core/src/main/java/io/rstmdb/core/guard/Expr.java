package io.rstmdb.core.guard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A compiled guard expression node. Evaluation is total: every node answers a boolean for any
 * context, including {@code null} (a context without any fields).
 */
sealed interface Expr {
  boolean test(JsonNode ctx);

  /** Logical and of two or more operands, short-circuit, left to right. */
  record All(List<Expr> operands) implements Expr {
    public All {
      operands = List.copyOf(operands);
    }

    @Override
    public boolean test(JsonNode ctx) {
      for (Expr operand : operands) {
        if (!operand.test(ctx)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Logical or of two or more operands, short-circuit, left to right. */
  record Any(List<Expr> operands) implements Expr {
    public Any {
      operands = List.copyOf(operands);
    }

    @Override
    public boolean test(JsonNode ctx) {
      for (Expr operand : operands) {
        if (operand.test(ctx)) {
          return true;
        }
      }
      return false;
    }
  }

  record Not(Expr operand) implements Expr {
    @Override
    public boolean test(JsonNode ctx) {
      return !operand.test(ctx);
    }
  }

  /** A bare field: true when its value is truthy. */
  record Truthy(FieldPath field) implements Expr {
    @Override
    public boolean test(JsonNode ctx) {
      return JsonTruth.isTruthy(field.resolve(ctx));
    }
  }

  /** {@code field == literal}, or its exact negation for {@code !=}. */
  record Equals(FieldPath field, Literal literal, boolean negated) implements Expr {
    @Override
    public boolean test(JsonNode ctx) {
      return literal.matches(field.resolve(ctx)) != negated;
    }
  }

  /** {@code field <op> number}: false unless the field holds a JSON number. */
  record Compare(FieldPath field, Ordering op, double bound) implements Expr {
    @Override
    public boolean test(JsonNode ctx) {
      JsonNode value = field.resolve(ctx);
      return value != null && value.isNumber() && op.holds(value.doubleValue(), bound);
    }
  }

  enum Ordering {
    GT {
      @Override
      boolean holds(double a, double b) {
        return a > b;
      }
    },
    GE {
      @Override
      boolean holds(double a, double b) {
        return a >= b;
      }
    },
    LT {
      @Override
      boolean holds(double a, double b) {
        return a < b;
      }
    },
    LE {
      @Override
      boolean holds(double a, double b) {
        return a <= b;
      }
    };

    abstract boolean holds(double a, double b);
  }
}
