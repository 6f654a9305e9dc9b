package dev.tempmedia.cloud;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tempmedia.cloud.proto.CommApiData;
import dev.tempmedia.cloud.proto.KeyValuePair;
import dev.tempmedia.io.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code cloud.openapi.<apiName>(…)} call as the gateway receives it: the form's {@code action}
 * ({@code wx.openApi}), {@code apiName} ({@code customerServiceMessage.uploadTempMedia}), {@code envName},
 * {@code cgiName} ({@code commrpcv2} in the SDK's v2 form, index.js:478-482) and {@code requestData}, a
 * protobuf {@link CommApiData} (src/main/proto/tcb_openapi.proto) whose pairs carry the parameters:
 * snake_case keys, JSON-encoded values, except a media parameter, which is raw bytes with a filename
 * and without a content type (index.js:2417-2443).
 *
 * @param apiName the API, as the SDK names it after {@code openapi.}
 * @param envName the env of the form, or of the query's {@code env} when the form has none
 * @param appid   the app of {@code cloud.openapi({appid})}, or empty
 * @param params  the parameters by key
 */
public record OpenApiCall(
    String apiName, String envName, String appid, Map<String, KeyValuePair> params) {
  public static final String ACTION = "wx.openApi";
  private static final JsonFactory JSON = new JsonFactory();
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = Json.MAPPER;

  /** Reads the call from the form; {@code queryEnv} is the request's {@code env} parameter. */
  public static OpenApiCall decode(TcbForm form, String queryEnv) {
    String action = form.text("action").orElse(null);
    if (!ACTION.equals(action)) {
      throw invalid(
          action == null
              ? "the form has no action field; wx-server-sdk's cloud.openapi sends action=wx.openApi"
              : "action '" + TcbForm.clip(action)
                  + "' is not served; tempmedia's /tcb/admin serves wx.openApi (cloud.openapi.*)");
    }
    String apiName = form.text("apiName")
        .orElseThrow(() ->
            invalid("the form has no apiName field (e.g. customerServiceMessage.uploadTempMedia)"));
    byte[] requestData = form.bytes("requestData")
        .orElseThrow(() -> invalid("the form has no requestData field (the protobuf CommApiData)"));
    CommApiData data;
    try {
      data = CommApiData.parseFrom(requestData);
    } catch (InvalidProtocolBufferException e) {
      throw invalid("requestData is not a protobuf CommApiData: " + e.getMessage());
    }
    if (data.getApiType() != CommApiData.ApiType.OPEN_API) {
      throw invalid("requestData's apiType is " + data.getApiTypeValue()
          + "; tempmedia serves OPEN_API (0), what cloud.openapi sends");
    }
    Map<String, KeyValuePair> params = new LinkedHashMap<>();
    for (KeyValuePair pair : data.getOpenapiData().getPairsList()) {
      if (params.putIfAbsent(pair.getKey(), pair) != null) {
        throw invalid(
            "requestData names the parameter '" + TcbForm.clip(pair.getKey()) + "' twice");
      }
    }
    String env = form.text("envName").orElse(queryEnv == null ? "" : queryEnv);
    return new OpenApiCall(apiName, env, data.getAppid(), Map.copyOf(params));
  }

  /** The name the SDK shows: {@code openapi.<apiName>}. */
  public String displayName() {
    return "openapi." + apiName;
  }

  /** A parameter whose value is a JSON string ({@code "\"image\""}), or empty when absent. */
  public Optional<String> text(String key) {
    KeyValuePair pair = params.get(key);
    if (pair == null) {
      return Optional.empty();
    }
    try (JsonParser p = JSON.createParser(pair.getValue().toByteArray())) {
      JsonToken t = p.nextToken();
      String text =
          t != null && t.isScalarValue() && t != JsonToken.VALUE_NULL ? p.getText() : null;
      if (text != null && p.nextToken() == null) {
        return Optional.of(text);
      }
    } catch (IOException e) {
      // not JSON: refused below
    }
    throw invalid("the parameter '" + TcbForm.clip(key) + "' is not a JSON string");
  }

  /**
   * The parameters as one JSON object, each value parsed: what the API itself would have received
   * (the SDK has already made the keys snake_case, at every depth). A value that is not JSON is
   * refused as an invalid parameter.
   */
  public com.fasterxml.jackson.databind.node.ObjectNode json() {
    com.fasterxml.jackson.databind.node.ObjectNode body =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, KeyValuePair> e : params.entrySet()) {
      try {
        body.set(e.getKey(), MAPPER.readTree(e.getValue().getValue().toByteArray()));
      } catch (IOException notJson) {
        throw invalid("the parameter '" + TcbForm.clip(e.getKey()) + "' is not JSON");
      }
    }
    return body;
  }

  /** A media parameter: its raw bytes and file name. */
  public Optional<KeyValuePair> media(String key) {
    return Optional.ofNullable(params.get(key));
  }

  private static GatewayException invalid(String message) {
    return new GatewayException(GatewayException.INVALID_PARAM, message);
  }
}
