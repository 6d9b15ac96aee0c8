package io.rstmdb.server.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.message.WireError;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WireErrorsTest {

  private final WireErrors errors = new WireErrors();

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyCoreCodeMapsToTheSameWireCodeAndRetryability(ErrorCode code) {
    WireError wire = errors.toWire(new RstmdbException(code, "boom"));
    assertThat(wire.code().name()).isEqualTo(code.name());
    assertThat(wire.retryable()).isEqualTo(code.retryable());
  }

  @Test
  void messagesGetTheReferencePrefixesOnce() {
    assertThat(errors.toWire(RstmdbException.badRequest("missing field `x`")).message())
        .isEqualTo("invalid request: missing field `x`");
    assertThat(errors.toWire(RstmdbException.badRequest("invalid request: x")).message())
        .isEqualTo("invalid request: x");
    assertThat(
            errors
                .toWire(new RstmdbException(ErrorCode.INSTANCE_NOT_FOUND, "instance not found: o"))
                .message())
        .isEqualTo("core error: instance not found: o");
    assertThat(
            errors
                .toWire(new RstmdbException(ErrorCode.UNAUTHORIZED, "authentication required"))
                .message())
        .isEqualTo("authentication required");
    assertThat(errors.toWire(new RstmdbException(ErrorCode.WAL_IO_ERROR, "disk full")).message())
        .isEqualTo("WAL error: disk full");
  }

  @Test
  void detailsPassThroughAndWrappersAreUnwrapped() {
    WireError wire =
        errors.toWire(
            new CompletionException(
                new RstmdbException(
                    ErrorCode.CONFLICT, "state conflict", Map.of("expected", "a"))));
    assertThat(wire.code().name()).isEqualTo("CONFLICT");
    assertThat(wire.details()).containsEntry("expected", "a");
  }

  @Test
  void unexpectedFailuresBecomeAnOpaqueInternalError() {
    WireError wire = errors.toWire(new CompletionException(new NullPointerException("secret")));
    assertThat(wire.code().name()).isEqualTo("INTERNAL_ERROR");
    assertThat(wire.message()).isEqualTo("internal error");
    assertThat(wire.retryable()).isTrue();
  }
}
