package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Numbers outside the range of the protocol field they fill are refused before connecting (exit 2,
 * naming the option), instead of coming back from the server as BAD_REQUEST (exit 1).
 */
class NumberRangeTest {

  private final ScriptedConnector server =
      new ScriptedConnector()
          .answer("PUT_MACHINE", "{\"created\":true,\"stored_checksum\":\"x\"}")
          .answer("GET_MACHINE", "{\"definition\":{},\"stored_checksum\":\"x\"}")
          .answer("CREATE_INSTANCE", "{\"instance_id\":\"i-1\",\"state\":\"a\",\"wal_offset\":1}")
          .answer("APPLY_EVENT", "{\"from_state\":\"a\",\"to_state\":\"b\",\"wal_offset\":2}")
          .answer("LIST_INSTANCES", "{\"instances\":[],\"total\":0,\"has_more\":false}")
          .answer("WAL_READ", "{\"records\":[],\"next_offset\":0}");

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "put-machine -n m -v -1 {}                 | '--version': '-1' is out of range (at least 0)",
        "put-machine -n m -v 99999999999 {}        | '--version': '99999999999' is out of range (at most 4294967295)",
        "put-machine -n m -v 4294967296 {}         | '--version': '4294967296' is out of range (at most 4294967295)",
        "get-machine -n m -v -1                    | '--version': '-1' is out of range (at least 0)",
        "create-instance -m m -V 1e3               | '--version': '1e3' is not a whole number",
        "wal-read -f -1                            | '--from-offset': '-1' is out of range (at least 0)",
        "wal-read -l -1                            | '--limit': '-1' is out of range (at least 0)",
        "wal-read -f 99999999999999999999          | '--from-offset': '99999999999999999999' is out of range (at most 9223372036854775807)",
        "apply-event -i o -e E --expected-offset -5 | '--expected-offset': '-5' is out of range (at least 0)",
        "list-instances --limit -1                 | '--limit': '-1' is out of range (at least 0)",
        "list-instances --offset 4294967296        | '--offset': '4294967296' is out of range (at most 4294967295)",
        "watch-all --from-offset 0                 | '--from-offset': '0' is out of range (at least 1)",
        "watch-instance o-1 --from-offset -3       | '--from-offset': '-3' is out of range (at least 1)",
        "watch-all --max-events 0                  | '--max-events': '0' is out of range (at least 1)",
      })
  void outOfRangeIsAUsageErrorNamingTheOptionAndNothingIsSent(String line, String message) {
    CliRun run = CliRun.run(server, line.split(" "));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("ERROR: Invalid value for option " + message + "\n");
    assertThat(server.connects).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "put-machine -n m -v 0 {}          | version     | 0",
        "put-machine -n m -v 4294967295 {} | version     | 4294967295",
        "wal-read -f 0 -l 0                | from_offset | 0",
        "list-instances --limit 0          | limit       | 0",
        "apply-event -i o -e E --expected-offset 0 | expected_wal_offset | 0",
      })
  void theEdgesOfEachRangeAreSent(String line, String field, long value) {
    CliRun run = CliRun.run(server, line.split(" "));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(server.sent.get(0).params().path(field).asLong()).isEqualTo(value);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"'wal -1'", "'c m -1'", "'gm m 4294967296'"})
  void replShortCommandsAreCheckedTheSameWay(String line) {
    CliRun run = CliRun.run(server, Map.of(), line + "\n");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option");
    assertThat(server.connects).isEmpty();
  }
}
