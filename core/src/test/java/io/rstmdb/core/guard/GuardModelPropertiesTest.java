package io.rstmdb.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random guard trees rendered to text must compile and evaluate exactly like a direct walk of the
 * tree. The model below shares no code with the implementation: it evaluates its own AST with its
 * own field lookup, truthiness and equality, written from the spec tables.
 */
class GuardModelPropertiesTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> SEGMENTS = List.of("a", "b", "ü", "日本", "x1", "_", "");
  private static final List<String> WHITESPACE = List.of("", " ", "  ", "\t", "\u00a0", "\u3000");

  // ---- the model ---------------------------------------------------------------------------

  sealed interface M {}

  record Field(List<String> path) implements M {}

  /** kind: "null", "bool", "string", "number"; negated for != */
  record Eq(List<String> path, Object literal, String literalText, boolean negated) implements M {}

  record Cmp(List<String> path, String op, String numberText) implements M {}

  record Not(M operand) implements M {}

  record And(M left, M right) implements M {}

  record Or(M left, M right) implements M {}

  static boolean evaluate(M m, JsonNode ctx) {
    if (m instanceof Field f) {
      return truthy(lookup(ctx, f.path()));
    }
    if (m instanceof Eq e) {
      return equal(lookup(ctx, e.path()), e.literal()) != e.negated();
    }
    if (m instanceof Cmp c) {
      JsonNode v = lookup(ctx, c.path());
      if (v == null || !v.isNumber()) {
        return false;
      }
      double a = v.doubleValue();
      double b = Double.parseDouble(c.numberText());
      return switch (c.op()) {
        case ">" -> a > b;
        case ">=" -> a >= b;
        case "<" -> a < b;
        default -> a <= b;
      };
    }
    if (m instanceof Not n) {
      return !evaluate(n.operand(), ctx);
    }
    if (m instanceof And a) {
      return evaluate(a.left(), ctx) && evaluate(a.right(), ctx);
    }
    Or o = (Or) m;
    return evaluate(o.left(), ctx) || evaluate(o.right(), ctx);
  }

  static JsonNode lookup(JsonNode ctx, List<String> path) {
    JsonNode at = ctx;
    for (String key : path) {
      if (!(at instanceof ObjectNode object)) {
        return null;
      }
      at = object.get(key);
    }
    return at;
  }

  static boolean truthy(JsonNode v) {
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isNumber()) {
      return v.asDouble() != 0;
    }
    if (v.isTextual()) {
      return v.asText().length() > 0;
    }
    return v.size() != 0;
  }

  static boolean equal(JsonNode v, Object literal) {
    boolean isNull = v == null || v.isNull();
    if (literal == null) {
      return isNull;
    }
    if (isNull) {
      return false;
    }
    if (literal instanceof Boolean b) {
      return v.isBoolean() && v.asBoolean() == b;
    }
    if (literal instanceof String s) {
      return v.isTextual() && v.asText().equals(s);
    }
    double d = (Double) literal;
    return v.isNumber() && Math.abs(v.asDouble() - d) < 2.220446049250313e-16;
  }

  // ---- rendering ---------------------------------------------------------------------------

  /** Renders m; ws supplies (possibly empty) whitespace between tokens. */
  static String render(M m, Ws ws) {
    if (m instanceof Field f) {
      return "ctx." + String.join(".", f.path());
    }
    if (m instanceof Eq e) {
      return "ctx."
          + String.join(".", e.path())
          + ws.next()
          + (e.negated() ? "!=" : "==")
          + ws.next()
          + e.literalText();
    }
    if (m instanceof Cmp c) {
      return "ctx." + String.join(".", c.path()) + ws.next() + c.op() + ws.next() + c.numberText();
    }
    if (m instanceof Not n) {
      M inner = n.operand();
      boolean wrap = inner instanceof And || inner instanceof Or;
      return "!" + ws.next() + (wrap ? paren(inner, ws) : render(inner, ws));
    }
    if (m instanceof And a) {
      return operand(a.left(), ws) + ws.next() + "&&" + ws.next() + operand(a.right(), ws);
    }
    Or o = (Or) m;
    return operand(o.left(), ws) + ws.next() + "||" + ws.next() + operand(o.right(), ws);
  }

  /** Binary operands are parenthesized when compound, so the tree shape survives exactly. */
  private static String operand(M m, Ws ws) {
    return m instanceof And || m instanceof Or ? paren(m, ws) : render(m, ws);
  }

  private static String paren(M m, Ws ws) {
    return "(" + ws.next() + render(m, ws) + ws.next() + ")";
  }

  /** A deterministic cycle through whitespace choices drawn by jqwik. */
  static final class Ws {
    private final List<String> choices;
    private int i;

    Ws(List<String> choices) {
      this.choices = choices;
    }

    String next() {
      return choices.isEmpty() ? " " : choices.get(i++ % choices.size());
    }
  }

  // ---- properties --------------------------------------------------------------------------

  @Property(tries = 500)
  void compiledGuardAgreesWithTheModel(
      @ForAll("trees") M tree,
      @ForAll("whitespace") List<String> ws,
      @ForAll("contexts") List<JsonNode> contexts) {
    String text = render(tree, new Ws(ws));
    Guard guard = Guard.compile(text);
    for (JsonNode ctx : contexts) {
      assertThat(guard.test(ctx)).as("%s on %s", text, ctx).isEqualTo(evaluate(tree, ctx));
    }
  }

  @Property(tries = 200)
  void trailingTextAfterACompleteExpressionChangesNothing(
      @ForAll("trees") M tree, @ForAll("contexts") List<JsonNode> contexts) {
    String text = render(tree, new Ws(List.of(" ")));
    Guard plain = Guard.compile(text);
    Guard withTrailer = Guard.compile(text + " ) and ctx.zzz = 1");
    for (JsonNode ctx : contexts) {
      assertThat(withTrailer.test(ctx)).isEqualTo(plain.test(ctx));
    }
  }

  @Property(tries = 200)
  void surroundingWhitespaceAndRedundantParenthesesChangeNothing(
      @ForAll("trees") M tree, @ForAll("contexts") List<JsonNode> contexts) {
    String text = render(tree, new Ws(List.of(" ")));
    Guard plain = Guard.compile(text);
    Guard wrapped = Guard.compile(" \n ( ( " + text + " ) ) \t");
    for (JsonNode ctx : contexts) {
      assertThat(wrapped.test(ctx)).isEqualTo(plain.test(ctx));
    }
  }

  // ---- generators --------------------------------------------------------------------------

  @Provide
  Arbitrary<List<String>> whitespace() {
    return Arbitraries.of(WHITESPACE).list().ofMinSize(1).ofMaxSize(5);
  }

  @Provide
  Arbitrary<M> trees() {
    return tree(4);
  }

  private Arbitrary<M> tree(int depth) {
    Arbitrary<M> leaves = Arbitraries.oneOf(field(), equality(), comparison());
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<M> sub = Arbitraries.lazy(() -> tree(depth - 1));
    return Arbitraries.frequencyOf(
        Tuple.of(3, leaves),
        Tuple.of(1, sub.map(Not::new)),
        Tuple.of(2, Combinators.combine(sub, sub).as(And::new)),
        Tuple.of(2, Combinators.combine(sub, sub).as(Or::new)));
  }

  private Arbitrary<List<String>> path() {
    return Arbitraries.of(SEGMENTS)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        // "ctx." alone is a syntax error (empty field name)
        .filter(p -> !String.join(".", p).isEmpty());
  }

  private Arbitrary<M> field() {
    return path().map(Field::new);
  }

  private Arbitrary<M> equality() {
    Arbitrary<Object[]> literal =
        Arbitraries.oneOf(
            Arbitraries.just(new Object[] {null, "null"}),
            Arbitraries.of(true, false).map(b -> new Object[] {b, b.toString()}),
            stringLiteral(),
            numberText().map(t -> new Object[] {Double.parseDouble(t), t}));
    return Combinators.combine(path(), literal, Arbitraries.of(true, false))
        .as((p, lit, neg) -> new Eq(p, lit[0], (String) lit[1], neg));
  }

  /** Raw content: plain characters, or a backslash followed by any character (kept as is). */
  private Arbitrary<Object[]> stringLiteral() {
    Arbitrary<String> plain = Arbitraries.of("a", "b", "ü", "😀", " ", "'", "n", "1");
    Arbitrary<String> escaped = Arbitraries.of("\\\"", "\\\\", "\\n", "\\é", "\\😀");
    return Arbitraries.oneOf(plain, escaped)
        .list()
        .ofMaxSize(4)
        .map(parts -> String.join("", parts))
        .map(content -> new Object[] {content, "\"" + content + "\""});
  }

  private Arbitrary<String> numberText() {
    Arbitrary<String> integer = Arbitraries.of("0", "1", "5", "10", "150", "007");
    Arbitrary<String> fraction = Arbitraries.of("", ".", ".5", ".25", ".0");
    return Combinators.combine(Arbitraries.of("", "-"), integer, fraction)
        .as((sign, i, f) -> sign + i + f);
  }

  private Arbitrary<M> comparison() {
    return Combinators.combine(path(), Arbitraries.of(">", ">=", "<", "<="), numberText())
        .as(Cmp::new);
  }

  @Provide
  Arbitrary<List<JsonNode>> contexts() {
    return Arbitraries.oneOf(context(3), Arbitraries.just(NODES.nullNode())).list().ofSize(4);
  }

  private Arbitrary<JsonNode> context(int depth) {
    return Arbitraries.maps(Arbitraries.of(SEGMENTS), value(depth))
        .ofMaxSize(5)
        .map(
            (Map<String, JsonNode> fields) -> {
              ObjectNode object = NODES.objectNode();
              fields.forEach(object::set);
              return object;
            });
  }

  private Arbitrary<JsonNode> value(int depth) {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.just(NODES.nullNode()),
            Arbitraries.of(true, false).map(NODES::booleanNode),
            Arbitraries.of(0, 1, 5, 10, 150, -1, 7).map(NODES::numberNode),
            Arbitraries.of(0.0, -0.0, 0.5, 0.25, -5.5, 10.0, 1e-17).map(NODES::numberNode),
            Arbitraries.of("", "a", "ü", "😀", "\\\"", "\\n", "a b", "1", "null", "true")
                .map(NODES::textNode));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> arrays =
        scalars
            .list()
            .ofMaxSize(2)
            .map(
                items -> {
                  ArrayNode array = NODES.arrayNode();
                  items.forEach(array::add);
                  return array;
                });
    return Arbitraries.frequencyOf(
        Tuple.of(4, scalars),
        Tuple.of(1, arrays),
        Tuple.of(2, Arbitraries.lazy(() -> context(depth - 1))));
  }
}
