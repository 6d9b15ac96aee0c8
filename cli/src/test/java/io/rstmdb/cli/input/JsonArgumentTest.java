package io.rstmdb.cli.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.cli.UsageException;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonArgumentTest {

  private final JsonArgument json =
      new JsonArgument(new ObjectMapper(), new ByteArrayInputStream(new byte[0]));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{                | unexpected end of input, expected '}' (line 1, column 2)",
        "[1, 2            | unexpected end of input, expected ']' (line 1, column 6)",
        "{\"a\": \"x       | unexpected end of input, expected '\"' to close the string (line 1, column 9)",
        "{\"a\": 1,}       | unexpected '}', expected a field name in double quotes (line 1, column 9)",
        "[1, 2,]          | unexpected ']', expected a value (line 1, column 7)",
        "hello            | unexpected word 'hello', expected a value (strings need double quotes) (line 1, column 1)",
        "{'a': 1}         | unexpected \"'\", expected a field name in double quotes (line 1, column 2)",
        "['a']            | unexpected \"'\", expected a value (JSON strings use double quotes) (line 1, column 2)",
        "{\"a\" 1}         | unexpected '1', expected ':' (line 1, column 6)",
        "{\"a\": 1 \"b\": 2} | unexpected '\"', expected ',' or '}' (line 1, column 9)",
        "{\"a\": 1]        | unexpected ']', expected '}' (line 1, column 8)",
        "{\"a\": 1}}       | unexpected '}' with nothing open to close (line 1, column 9)",
        "{\"a\": 1} {}     | text after the JSON value (line 1, column 10)",
      })
  void syntaxErrorsAreOneLineInTheUsersTerms(String input, String expected) {
    UsageException e =
        catchThrowableOfType(UsageException.class, () -> json.parse(input.strip(), "definition"));

    assertThat(e.getMessage()).isEqualTo("definition is not valid JSON: " + expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {"`[[[[`", "`[-]`", "1.", "`\"\\q\"`", "{\"a\":1,\n\"b\":}"})
  void noMessageLeaksJacksonInternals(String input) {
    String deep = input.equals("[[[[") ? "[".repeat(1001) : input;
    UsageException e = catchThrowableOfType(UsageException.class, () -> json.parse(deep, "ctx"));

    assertThat(e.getMessage())
        .startsWith("ctx is not valid JSON: ")
        .doesNotContain("Source")
        .doesNotContain("`")
        .doesNotContain("code ")
        .doesNotContain("Feature")
        .doesNotContain("jackson")
        .doesNotContain("\n");
  }
}
