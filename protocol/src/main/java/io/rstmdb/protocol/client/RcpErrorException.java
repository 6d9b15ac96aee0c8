package io.rstmdb.protocol.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.ErrorCode;
import io.rstmdb.protocol.message.WireError;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server answered a request with an error response (wire.md §4.3). */
public final class RcpErrorException extends RcpException {

  private static final long serialVersionUID = 1L;

  private final String codeName;
  private final String serverMessage;
  private final boolean retryable;
  private final transient JsonNode details;
  private final String requestId;

  public RcpErrorException(
      String requestId,
      String codeName,
      String serverMessage,
      boolean retryable,
      JsonNode details) {
    super(codeName + ": " + serverMessage);
    this.requestId = requestId;
    this.codeName = codeName;
    this.serverMessage = serverMessage;
    this.retryable = retryable;
    this.details = details;
  }

  /** The code exactly as the server sent it (also codes this client does not know). */
  public String codeName() {
    return codeName;
  }

  /** The server's {@code retryable} flag as sent. */
  public boolean retryable() {
    return retryable;
  }

  /**
   * The request id the error answered; null for a connection-level error, which reaches callers as
   * the cause of the {@link RcpConnectionException} that failed their calls.
   */
  public String requestId() {
    return requestId;
  }

  /** The {@code details} object, or null when the server sent none. */
  public JsonNode details() {
    return details;
  }

  /**
   * The error as a {@link WireError}; detail values stay {@link JsonNode}s. A code this client does
   * not know is reported as {@link ErrorCode#INTERNAL_ERROR}; {@link #codeName()} keeps the
   * original string.
   */
  public WireError error() {
    ErrorCode code = ErrorCode.fromWireName(codeName).orElse(ErrorCode.INTERNAL_ERROR);
    Map<String, Object> detailMap = new LinkedHashMap<>();
    if (details != null && details.isObject()) {
      details.properties().forEach(e -> detailMap.put(e.getKey(), e.getValue()));
    }
    return new WireError(code, serverMessage, detailMap);
  }
}
