package io.rstmdb.core.definition;

import static io.rstmdb.core.definition.MachineDefinitionValidationTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Normalized form (§3.1) and its SHA-256 checksum (decision 2). */
class NormalizedFormTest {
  private static final String SPEC_EXAMPLE =
      "{\"states\":[\"created\",\"paid\",\"shipped\"],\"initial\":\"created\",\"transitions\":["
          + "{\"from\":\"created\",\"event\":\"PAY\",\"to\":\"paid\"},"
          + "{\"from\":[\"paid\"],\"event\":\"SHIP\",\"to\":\"shipped\","
          + "\"guard\":\"ctx.amount > 0\"}]}";
  private static final String SPEC_NORMALIZED =
      "{\"states\":[\"created\",\"paid\",\"shipped\"],\"initial\":\"created\",\"transitions\":["
          + "{\"from\":[\"created\"],\"event\":\"PAY\",\"to\":\"paid\"},"
          + "{\"from\":[\"paid\"],\"event\":\"SHIP\",\"to\":\"shipped\","
          + "\"guard\":\"ctx.amount > 0\"}]}";

  private static MachineDefinition parse(String text) {
    return MachineDefinition.parse(json(text));
  }

  @Test
  void specExampleNormalizesToTheDocumentedString() {
    MachineDefinition definition = MachineDefinition.parse(json(SPEC_EXAMPLE));
    assertThat(definition.normalizedJson()).isEqualTo(SPEC_NORMALIZED);
    // sha256sum of the string above
    assertThat(definition.checksum())
        .isEqualTo("0c59cb7e7d0425bc4b0425f6513d05527c496f8ca5fad768c6d8cfec4479ab0e");
  }

  @Test
  void specExampleWithMetaSortsMetaKeys() {
    String withMeta =
        SPEC_EXAMPLE.substring(0, SPEC_EXAMPLE.length() - 1)
            + ",\"meta\":{\"owner\":\"team-a\",\"description\":\"demo\"}}";
    MachineDefinition definition = MachineDefinition.parse(json(withMeta));
    assertThat(definition.normalizedJson())
        .isEqualTo(
            SPEC_NORMALIZED.substring(0, SPEC_NORMALIZED.length() - 1)
                + ",\"meta\":{\"description\":\"demo\",\"owner\":\"team-a\"}}");
    assertThat(definition.checksum())
        .isEqualTo("d1682c94c6a0005a2b5155f820a0aafd369e285e55b24218af8d7b8d3570c559");
  }

  @Test
  void checksumIsLowercaseHexSha256() {
    assertThat(parse("{'states':['a'],'initial':'a','transitions':[]}").checksum())
        .matches("[0-9a-f]{64}");
  }

  @Test
  void stringFromEqualsOneElementArray() {
    MachineDefinition shorthand =
        parse(
            "{'states':['a','b'],'initial':'a','transitions':[{'from':'a','event':'E','to':'b'}]}");
    MachineDefinition array =
        parse(
            "{'states':['a','b'],'initial':'a','transitions':[{'from':['a'],'event':'E','to':'b'}]}");
    assertThat(shorthand.normalizedJson()).isEqualTo(array.normalizedJson());
    assertThat(shorthand.checksum()).isEqualTo(array.checksum());
    assertThat(shorthand).isEqualTo(array).hasSameHashCodeAs(array);
  }

  @Test
  void inputKeyOrderDoesNotMatter() {
    MachineDefinition one =
        parse(
            "{'meta':{'b':1,'a':2},'transitions':[{'to':'b','event':'E','from':'a','guard':'ctx.x'}],"
                + "'initial':'a','states':['a','b']}");
    MachineDefinition other =
        parse(
            "{'states':['a','b'],'initial':'a','transitions':[{'from':'a','event':'E','to':'b',"
                + "'guard':'ctx.x'}],'meta':{'a':2,'b':1}}");
    assertThat(one.normalizedJson())
        .isEqualTo(other.normalizedJson())
        .isEqualTo(
            "{\"states\":[\"a\",\"b\"],\"initial\":\"a\",\"transitions\":[{\"from\":[\"a\"],"
                + "\"event\":\"E\",\"to\":\"b\",\"guard\":\"ctx.x\"}],\"meta\":{\"a\":2,\"b\":1}}");
  }

  @Test
  void nullGuardNullMetaAndUnknownKeysVanish() {
    MachineDefinition plain =
        parse("{'states':['a'],'initial':'a','transitions':[{'from':'a','event':'E','to':'a'}]}");
    MachineDefinition noisy =
        parse(
            "{'states':['a'],'initial':'a','transitions':[{'from':'a','event':'E','to':'a',"
                + "'guard':null,'description':'x','on_enter':'y'}],'meta':null,'final':['a'],"
                + "'version':3}");
    assertThat(noisy.normalizedJson()).isEqualTo(plain.normalizedJson());
    assertThat(noisy.checksum()).isEqualTo(plain.checksum());
    assertThat(noisy.normalized().has("final")).isFalse();
    assertThat(noisy.normalized().has("meta")).isFalse();
    assertThat(noisy.normalized().get("transitions").get(0).has("guard")).isFalse();
  }

  @Test
  void differentDefinitionsHaveDifferentChecksums() {
    MachineDefinition a =
        parse(
            "{'states':['a','b'],'initial':'a','transitions':[{'from':'a','event':'E','to':'b'}]}");
    MachineDefinition guarded =
        parse(
            "{'states':['a','b'],'initial':'a','transitions':"
                + "[{'from':'a','event':'E','to':'b','guard':'ctx.x'}]}");
    MachineDefinition reordered =
        parse(
            "{'states':['b','a'],'initial':'a','transitions':[{'from':'a','event':'E','to':'b'}]}");
    MachineDefinition guardSpacing =
        parse(
            "{'states':['a','b'],'initial':'a','transitions':"
                + "[{'from':'a','event':'E','to':'b','guard':' ctx.x'}]}");
    assertThat(List.of(a.checksum(), guarded.checksum(), reordered.checksum()))
        .doesNotHaveDuplicates();
    // the guard is stored verbatim, so whitespace around it is part of the identity
    assertThat(guardSpacing.checksum()).isNotEqualTo(guarded.checksum());
    assertThat(a).isNotEqualTo(reordered);
  }

  @Test
  void statesKeepOrderAndDuplicates() {
    assertThat(parse("{'states':['b','a','b'],'initial':'a','transitions':[]}").normalizedJson())
        .isEqualTo("{\"states\":[\"b\",\"a\",\"b\"],\"initial\":\"a\",\"transitions\":[]}");
  }

  @Test
  void metaIsSortedRecursivelyWithCanonicalNumbersAndStrings() {
    MachineDefinition definition =
        parse(
            "{'states':['a'],'initial':'a','transitions':[],'meta':{'z':[{'y':1.50,'x':1e21}],"
                + "'😀':'\\u0001/é','a':{'c':-0.0,'b':100.0,'a':18446744073709551615}}}");
    assertThat(definition.normalizedJson())
        .endsWith(
            "\"meta\":{\"a\":{\"a\":18446744073709551615,\"b\":100.0,\"c\":-0.0},"
                + "\"z\":[{\"x\":1e21,\"y\":1.5}],\"😀\":\"\\u0001/é\"}}");
  }

  @Test
  void scalarMetaIsKept() {
    assertThat(
            parse("{'states':['a'],'initial':'a','transitions':[],'meta':false}").normalizedJson())
        .endsWith(",\"meta\":false}");
    assertThat(parse("{'states':['a'],'initial':'a','transitions':[],'meta':[]}").normalizedJson())
        .endsWith(",\"meta\":[]}");
  }

  @Test
  void specialCharactersInNamesAreEscapedCanonically() {
    MachineDefinition definition =
        parse(
            "{'states':['a\\\"b','\\t','ü/😀'],'initial':'\\t','transitions':"
                + "[{'from':'a\\\"b','event':'\\u001f','to':'ü/😀','guard':'ctx.s == \\\"x\\\\\\\"\\\"'}]}");
    assertThat(definition.normalizedJson())
        .isEqualTo(
            "{\"states\":[\"a\\\"b\",\"\\t\",\"ü/😀\"],\"initial\":\"\\t\",\"transitions\":"
                + "[{\"from\":[\"a\\\"b\"],\"event\":\"\\u001f\",\"to\":\"ü/😀\","
                + "\"guard\":\"ctx.s == \\\"x\\\\\\\"\\\"\"}]}");
  }

  @Test
  void normalizedTreeHasTheDocumentedKeyOrder() {
    ObjectNode tree =
        parse(
                "{'meta':{'k':1},'transitions':[{'guard':'ctx.g','to':'b','event':'E','from':'a'}],"
                    + "'initial':'a','states':['a','b']}")
            .normalized();
    assertThat(fieldNames(tree)).containsExactly("states", "initial", "transitions", "meta");
    assertThat(fieldNames(tree.get("transitions").get(0)))
        .containsExactly("from", "event", "to", "guard");
    assertThat(tree.get("transitions").get(0).get("from").isArray()).isTrue();
  }

  @Test
  void normalizedTreeIsADefensiveCopy() {
    MachineDefinition definition =
        parse("{'states':['a'],'initial':'a','transitions':[],'meta':{'k':1}}");
    ObjectNode tree = definition.normalized();
    tree.put("initial", "tampered");
    ((ObjectNode) tree.get("meta")).put("k", 2);
    assertThat(definition.normalized().get("initial").asText()).isEqualTo("a");
    assertThat(definition.normalized().get("meta").get("k").asInt()).isEqualTo(1);
  }

  @Test
  void normalizedFormParsesBackToTheSameDefinition() {
    MachineDefinition original = parse(SPEC_EXAMPLE);
    MachineDefinition again = MachineDefinition.parse(json(original.normalizedJson()));
    assertThat(again.normalizedJson()).isEqualTo(original.normalizedJson());
    assertThat(MachineDefinition.parse(original.normalized()).checksum())
        .isEqualTo(original.checksum());
  }

  private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
