package io.rstmdb.core.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Shape and validation rules of state-machines.md §1–2, with decision 3 (BAD_REQUEST). */
class MachineDefinitionValidationTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static void assertInvalid(String definition, String reason) {
    assertInvalid(json(definition), reason);
  }

  private static void assertInvalid(JsonNode definition, String reason) {
    assertThatThrownBy(() -> MachineDefinition.parse(definition))
        .isInstanceOfSatisfying(
            RstmdbException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage()).isEqualTo("invalid machine definition: " + reason);
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '"',
      value = {
        "[] => definition must be a JSON object",
        "'states' => definition must be a JSON object",
        "null => definition must be a JSON object",
        "{} => missing field 'states'",
        "{'initial':'a','transitions':[]} => missing field 'states'",
        "{'states':'a','initial':'a','transitions':[]} => 'states' must be an array of strings",
        "{'states':null,'initial':'a','transitions':[]} => 'states' must be an array of strings",
        "{'states':['a',1],'initial':'a','transitions':[]} => 'states' must be an array of strings",
        "{'states':['a'],'transitions':[]} => missing field 'initial'",
        "{'states':['a'],'initial':1,'transitions':[]} => 'initial' must be a string",
        "{'states':['a'],'initial':null,'transitions':[]} => 'initial' must be a string",
        "{'states':['a'],'initial':'a'} => missing field 'transitions'",
        "{'states':['a'],'initial':'a','transitions':{}} => 'transitions' must be an array",
        "{'states':['a'],'initial':'a','transitions':[5]} => transitions[0] must be an object",
        "{'states':['a'],'initial':'a','transitions':[{'event':'E','to':'a'}]}"
            + " => transitions[0]: missing field 'from'",
        "{'states':['a'],'initial':'a','transitions':[{'from':5,'event':'E','to':'a'}]}"
            + " => transitions[0]: 'from' must be a string or an array of strings",
        "{'states':['a'],'initial':'a','transitions':[{'from':['a',null],'event':'E','to':'a'}]}"
            + " => transitions[0]: 'from' must be a string or an array of strings",
        "{'states':['a'],'initial':'a','transitions':[{'from':'a','to':'a'}]}"
            + " => transitions[0]: missing field 'event'",
        "{'states':['a'],'initial':'a','transitions':[{'from':'a','event':1,'to':'a'}]}"
            + " => transitions[0]: 'event' must be a string",
        "{'states':['a'],'initial':'a','transitions':[{'from':'a','event':'E'}]}"
            + " => transitions[0]: missing field 'to'",
        "{'states':['a'],'initial':'a','transitions':[{'from':'a','event':'E','to':['a']}]}"
            + " => transitions[0]: 'to' must be a string",
        "{'states':['a'],'initial':'a','transitions':[{'from':'a','event':'E','to':'a','guard':true}]}"
            + " => transitions[0]: 'guard' must be a string",
      })
  void shapeErrors(String definition, String reason) {
    assertInvalid(definition, reason);
  }

  @Test
  void theJavaNullDefinitionIsRejectedToo() {
    assertInvalid((JsonNode) null, "definition must be a JSON object");
  }

  @Test
  void metaNumbersMustBeFinite() {
    // Jackson reads 1e400 as Infinity; serde_json (and JSON) has no such number.
    assertInvalid(
        "{'states':['a'],'initial':'a','transitions':[],'meta':{'x':[1,{'y':1e400}]}}",
        "'meta' holds a number out of range");
    assertInvalid(
        "{'states':['a'],'initial':'a','transitions':[],'meta':-1e400}",
        "'meta' holds a number out of range");
  }

  @Test
  void initialMustBeAState() {
    assertInvalid(
        "{'states':['a','b'],'initial':'c','transitions':[]}",
        "initial state 'c' not in states list");
    // no separate "states must be non-empty" rule: the initial check catches it
    assertInvalid(
        "{'states':[],'initial':'','transitions':[]}", "initial state '' not in states list");
  }

  @Test
  void targetsMustBeStates() {
    assertInvalid(
        "{'states':['a'],'initial':'a','transitions':[{'from':'a','event':'E','to':'x'}]}",
        "transition target 'x' not in states list");
  }

  @Test
  void sourcesMustBeStates() {
    assertInvalid(
        "{'states':['a'],'initial':'a','transitions':[{'from':['a','y'],'event':'E','to':'a'}]}",
        "transition source 'y' not in states list");
  }

  @Test
  void guardErrorsNameTheTransitionAndKeepTheGuardMessage() {
    assertInvalid(
        "{'states':['a'],'initial':'a','transitions':["
            + "{'from':'a','event':'E','to':'a'},"
            + "{'from':'a','event':'F','to':'a','guard':'amount > 1'}]}",
        "transitions[1]: invalid guard expression: field must start with 'ctx.' at position 0");
  }

  @Test
  void shapeIsCheckedBeforeAnySemanticRule() {
    // the unknown initial state would fail step 2, but the bad 'to' type of a later transition
    // is a shape error and wins
    assertInvalid(
        "{'states':['a'],'initial':'zzz','transitions':[{'from':'a','event':'E','to':1}]}",
        "transitions[0]: 'to' must be a string");
  }

  @Test
  void initialIsCheckedBeforeTransitions() {
    assertInvalid(
        "{'states':['a'],'initial':'zzz','transitions':[{'from':'q','event':'E','to':'q'}]}",
        "initial state 'zzz' not in states list");
  }

  @Test
  void withinATransitionTargetComesBeforeGuardComesBeforeSources() {
    assertInvalid(
        "{'states':['a'],'initial':'a','transitions':"
            + "[{'from':'q','event':'E','to':'t','guard':'bad'}]}",
        "transition target 't' not in states list");
    assertInvalid(
        "{'states':['a'],'initial':'a','transitions':"
            + "[{'from':'q','event':'E','to':'a','guard':'bad'}]}",
        "transitions[0]: invalid guard expression: field must start with 'ctx.' at position 0");
  }

  @Test
  void transitionsAreCheckedInArrayOrder() {
    assertInvalid(
        "{'states':['a'],'initial':'a','transitions':["
            + "{'from':'s1','event':'E','to':'a'},"
            + "{'from':'a','event':'E','to':'t2'}]}",
        "transition source 's1' not in states list");
  }

  @Test
  void sourcesAreCheckedInOrder() {
    assertInvalid(
        "{'states':['a'],'initial':'a','transitions':[{'from':['a','p','q'],'event':'E','to':'a'}]}",
        "transition source 'p' not in states list");
  }

  @Test
  void duplicateFromEventPairsAreAllowedForGuardedRouting() {
    assertThatCode(
            () ->
                MachineDefinition.parse(
                    json(
                        "{'states':['a','b','c'],'initial':'a','transitions':["
                            + "{'from':'a','event':'GO','to':'b','guard':'ctx.x'},"
                            + "{'from':['a','b'],'event':'GO','to':'c'},"
                            + "{'from':'a','event':'GO','to':'c'}]}")))
        .doesNotThrowAnyException();
  }

  @Test
  void permissiveThingsAreAccepted() {
    MachineDefinition definition =
        MachineDefinition.parse(
            json(
                "{'states':['','a','a'],'initial':'','transitions':["
                    + "{'from':[],'event':'','to':'a'},"
                    + "{'from':'a','event':'e','to':'a','guard':null,'final':true}],"
                    + "'meta':null,'final':['a'],'on_enter':{}}"));
    assertThat(definition.states()).containsExactly("", "a", "a");
    assertThat(definition.initial()).isEmpty();
    assertThat(definition.hasState("")).isTrue();
    assertThat(definition.hasState("a")).isTrue();
    assertThat(definition.hasState("b")).isFalse();
    assertThat(definition.transitions()).hasSize(2);
    assertThat(definition.transitions().get(0).from()).isEmpty();
    assertThat(definition.transitions().get(1).guard()).isNull();
  }

  @Test
  void guardsAreCompiledAndKeptVerbatim() {
    MachineDefinition definition =
        MachineDefinition.parse(
            json(
                "{'states':['a','b'],'initial':'a','transitions':"
                    + "[{'from':'a','event':'E','to':'b','guard':'  ctx.ok  '}]}"));
    Transition t = definition.transitions().get(0);
    assertThat(t.guard().text()).isEqualTo("  ctx.ok  ");
    assertThat(t.allows(json("{'ok':true}"))).isTrue();
    assertThat(t.allows(json("{'ok':false}"))).isFalse();
  }

  @Test
  void unguardedTransitionsAllowEverything() {
    Transition t = new Transition(java.util.List.of("a"), "E", "b", null);
    assertThat(t.allows(null)).isTrue();
    assertThat(t.allows(json("{}"))).isTrue();
  }

  /** Stored, a lone surrogate becomes '?': the definition kept would not be the one sent. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "=>",
      value = {
        "{'states':['a','\\ud800'],'initial':'a','transitions':[]}",
        "{'states':['a'],'initial':'a','transitions':[{'from':'a','event':'E\\udc00','to':'a'}]}",
        "{'states':['a'],'initial':'a','transitions':[{'from':'a','event':'E','to':'a',"
            + "'guard':'ctx.s == \\'\\udc00\\''}]}",
        "{'states':['a'],'initial':'a','transitions':[],'meta':{'k':['\\udc00']}}"
      })
  void aLoneSurrogateAnywhereIsRefused(String definition) {
    assertInvalid(definition, "a string holds a lone UTF-16 surrogate");
  }

  @Test
  void aSurrogatePairIsAnOrdinaryCharacter() {
    assertThatCode(
            () ->
                MachineDefinition.parse(
                    json("{'states':['a','\\ud83d\\ude00'],'initial':'a','transitions':[]}")))
        .doesNotThrowAnyException();
  }
}
