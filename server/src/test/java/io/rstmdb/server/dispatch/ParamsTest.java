package io.rstmdb.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParamsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s);
  }

  @Test
  void absentAndNullParamsAreAnEmptyObject() throws Exception {
    assertThat(Params.strict(null).optionalString("x")).isNull();
    assertThat(Params.strict(json("null")).optionalString("x")).isNull();
    assertThat(Params.strict(json("{\"x\":null}")).optionalString("x")).isNull();
  }

  @Test
  void strictParamsMustBeAnObject() {
    assertThatThrownBy(() -> Params.strict(json("[1]")))
        .isInstanceOf(RstmdbException.class)
        .hasMessage("params must be an object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"1\"", "1.0", "-1", "4294967296", "true", "[]", "{}"})
  void u32FieldsRejectEverythingButSmallWholeNumbers(String value) {
    assertThatThrownBy(
            () ->
                Params.strict(json("{\"version\":" + value + "}"))
                    .requiredUnsigned("version", Params.U32_MAX))
        .isInstanceOfSatisfying(
            RstmdbException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessageContaining("`version`");
  }

  @Test
  void u32AndU64Boundaries() throws Exception {
    assertThat(Params.strict(json("{\"v\":4294967295}")).requiredUnsigned("v", Params.U32_MAX))
        .isEqualTo(4_294_967_295L);
    assertThat(
            Params.strict(json("{\"v\":9223372036854775807}"))
                .requiredUnsigned("v", Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(
            () ->
                Params.strict(json("{\"v\":18446744073709551615}"))
                    .requiredUnsigned("v", Long.MAX_VALUE))
        .isInstanceOf(RstmdbException.class);
  }

  @Test
  void missingRequiredFieldNamesIt() {
    assertThatThrownBy(() -> Params.strict(json("{}")).requiredString("instance_id"))
        .hasMessage("missing field `instance_id`");
  }

  @Test
  void wrongTypeNamesTheFieldAndWhatCame() {
    assertThatThrownBy(() -> Params.strict(json("{\"event\":5}")).requiredString("event"))
        .hasMessage("invalid type for field `event`: expected a string, got integer 5");
  }

  @Test
  void aWrongTypeIsNeverTakenForAbsent() throws Exception {
    // The reference's "loose" ops did: COMPACT {"force_snapshot":"yes"} ran without a snapshot.
    assertThatThrownBy(
            () ->
                Params.strict(json("{\"force_snapshot\":\"yes\"}"))
                    .optionalBoolean("force_snapshot", false))
        .hasMessage("invalid type for field `force_snapshot`: expected a boolean, got a string");
    assertThatThrownBy(() -> Params.strict(json("{\"limit\":\"9\"}")).optionalUnsigned("limit", 10))
        .hasMessageContaining("`limit`");
    assertThatThrownBy(() -> Params.strict(json("[1]"))).hasMessage("params must be an object");
  }

  @Test
  void stringLists() throws Exception {
    assertThat(Params.strict(json("{\"m\":[\"a\",\"b\"]}")).optionalStrings("m"))
        .isEqualTo(List.of("a", "b"));
    assertThatThrownBy(() -> Params.strict(json("{\"m\":[\"a\",1]}")).optionalStrings("m"))
        .hasMessageContaining("`m`");
  }
}
