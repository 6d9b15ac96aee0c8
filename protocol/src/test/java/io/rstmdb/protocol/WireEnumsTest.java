package io.rstmdb.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class WireEnumsTest {

  @Test
  void exactlyTheSixteenWireCodesExist() {
    assertThat(Arrays.stream(ErrorCode.values()).map(Enum::name))
        .containsExactly(
            "UNSUPPORTED_PROTOCOL",
            "BAD_REQUEST",
            "UNAUTHORIZED",
            "AUTH_FAILED",
            "NOT_FOUND",
            "MACHINE_NOT_FOUND",
            "MACHINE_VERSION_EXISTS",
            "MACHINE_VERSION_LIMIT_EXCEEDED",
            "INSTANCE_NOT_FOUND",
            "INSTANCE_EXISTS",
            "INVALID_TRANSITION",
            "GUARD_FAILED",
            "CONFLICT",
            "WAL_IO_ERROR",
            "INTERNAL_ERROR",
            "RATE_LIMITED");
  }

  @Test
  void onlyStorageInternalAndRateLimitErrorsAreRetryable() {
    EnumSet<ErrorCode> retryable = EnumSet.noneOf(ErrorCode.class);
    for (ErrorCode code : ErrorCode.values()) {
      if (code.retryable()) {
        retryable.add(code);
      }
    }
    assertThat(retryable)
        .containsExactlyInAnyOrder(
            ErrorCode.WAL_IO_ERROR, ErrorCode.INTERNAL_ERROR, ErrorCode.RATE_LIMITED);
  }

  @Test
  void errorCodeParsingIsExact() {
    assertThat(ErrorCode.fromWireName("CONFLICT")).contains(ErrorCode.CONFLICT);
    assertThat(ErrorCode.fromWireName("conflict")).isEmpty();
    assertThat(ErrorCode.fromWireName("REPLICATION_ERROR")).isEmpty();
    assertThat(ErrorCode.fromWireName(null)).isEmpty();
  }

  @Test
  void everyOperationNameParsesCaseSensitively() {
    assertThat(Op.values()).hasSize(22);
    for (Op op : Op.values()) {
      assertThat(Op.parse(op.wireName())).contains(op);
    }
    assertThat(Op.parse("FLUSH_ALL")).contains(Op.FLUSH_ALL);
    assertThat(Op.parse("ping")).isEmpty();
    assertThat(Op.parse(" PING")).isEmpty();
    assertThat(Op.parse("REPLICATE")).isEmpty();
    assertThat(Op.parse(null)).isEmpty();
  }

  @Test
  void wireModesUseTheirWireNames() {
    assertThat(WireMode.fromWireName("binary_json")).contains(WireMode.BINARY_JSON);
    assertThat(WireMode.fromWireName("jsonl")).contains(WireMode.JSONL);
    assertThat(WireMode.fromWireName("JSONL")).isEmpty();
    assertThat(WireMode.fromWireName(null)).isEmpty();
  }

  @Test
  void limitsMatchTheSpecification() {
    assertThat(ProtocolLimits.MAX_PAYLOAD).isEqualTo(16 * 1024 * 1024);
    assertThat(ProtocolLimits.MAX_BATCH_OPS).isEqualTo(100);
    assertThat(ProtocolLimits.MAX_JSON_DEPTH).isEqualTo(64);
    assertThat(ProtocolLimits.PROTOCOL_VERSION).isEqualTo(1);
    assertThat(ProtocolLimits.PREAUTH_MAX_PAYLOAD).isLessThan(ProtocolLimits.MAX_PAYLOAD);
  }
}
