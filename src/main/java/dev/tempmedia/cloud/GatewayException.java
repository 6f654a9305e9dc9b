package dev.tempmedia.cloud;

/**
 * A refusal of the TCB gateway itself, before any WeChat API runs: a request that is not a well-formed
 * cloud call, a bad signature, an env nobody mapped. It is answered as the gateway's JSON error
 * {@code {"code":…,"message":…,"requestId":…}}, which {@code @cloudbase/node-sdk} recognises only by
 * the exact Content-Type {@code application/json; charset=utf-8} (dist/utils/tcbapirequester.js,
 * handleWxOpenApiData) and {@code wx-server-sdk} turns into its TCB error code (index.js:803-837,
 * TCB_ERR_CODE: INVALID_PARAM → -501007, an unknown code → -501001).
 */
public final class GatewayException extends RuntimeException {
  /** A request that is not a cloud call the gateway can read (form, fields, protobuf, size). */
  public static final String INVALID_PARAM = "INVALID_PARAM";
  /** The signature is missing, malformed, stale or wrong. */
  public static final String SIGN_PARAM_INVALID = "SIGN_PARAM_INVALID";
  /** The env is not mapped to an app. */
  public static final String INVALID_ENV = "INVALID_ENV";

  private final String code;

  public GatewayException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The errCode wx-server-sdk makes of {@link #code} (its TCB_ERR_CODE, index.js:815-826). */
  public int sdkCode() {
    return INVALID_PARAM.equals(code) ? -501007 : -501001;
  }
}
