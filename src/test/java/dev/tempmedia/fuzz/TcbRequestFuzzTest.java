package dev.tempmedia.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tempmedia.cloud.GatewayException;
import dev.tempmedia.cloud.OpenApiCall;
import dev.tempmedia.cloud.Tc3Signature;
import dev.tempmedia.cloud.TcbForm;
import dev.tempmedia.cloud.proto.CommApiData;
import dev.tempmedia.cloud.proto.KeyValuePair;
import dev.tempmedia.cloud.proto.OpenApiData;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What {@code POST /tcb/admin} reads before any handler runs: the multipart form, the protobuf
 * {@code CommApiData} inside it and the TC3 signature, against forms and messages it has never seen.
 *
 * <ul>
 *   <li>Reading fails only with {@link GatewayException}: any other exception is a bug.
 *   <li>The form never holds more bytes than its cap.
 *   <li>Half the inputs are well-formed forms around a fuzzed (often valid) CommApiData, so the
 *       protobuf decoder and the parameter readers are reached, not only the multipart parser.
 * </ul>
 */
class TcbRequestFuzzTest {
  private static final String BOUNDARY = "--------------------------tcbfuzz";
  private static final int CAP = 64 * 1024;

  @FuzzTest(maxDuration = "40s")
  void anyRequestIsReadOrRefusedAsTheGateway(FuzzedDataProvider data) {
    byte[] body = data.consumeBoolean() ? wellFormed(data) : data.consumeRemainingAsBytes();
    TcbForm form;
    try {
      form = TcbForm.parse(BOUNDARY, body, CAP);
    } catch (GatewayException refused) {
      return;
    }
    assertThat(form.fields().values().stream().mapToLong(b -> b.length).sum())
        .isLessThanOrEqualTo(CAP);
    try {
      OpenApiCall call = OpenApiCall.decode(form, "env");
      for (String key : call.params().keySet()) {
        try {
          call.text(key);
        } catch (GatewayException notText) {
          // a value that is not a JSON scalar: refused, as it should be
        }
        call.media(key);
      }
    } catch (GatewayException refused) {
      // refused as the gateway refuses
    }
    try {
      Tc3Signature.verify(
          new Tc3Signature.Request(
              "POST", "h", "/tcb/admin", "env=e", name -> header(form, name), form),
          "id",
          "key",
          0);
    } catch (GatewayException refused) {
      // unsigned or mis-signed
    }
  }

  private static String header(TcbForm form, String name) {
    return form.text(name).orElse(null);
  }

  private static byte[] wellFormed(FuzzedDataProvider data) {
    CommApiData.Builder message = CommApiData.newBuilder();
    OpenApiData.Builder pairs = OpenApiData.newBuilder();
    int n = data.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      pairs.addPairs(KeyValuePair.newBuilder()
          .setKey(data.consumeString(12))
          .setValue(com.google.protobuf.ByteString.copyFrom(data.consumeBytes(40)))
          .setFilename(data.consumeString(8)));
    }
    message.setOpenapiData(pairs).setAppid(data.consumeString(20));
    byte[] requestData = message.build().toByteArray();
    if (data.consumeBoolean() && requestData.length > 0) {
      requestData[data.consumeInt(0, requestData.length - 1)] = data.consumeByte();
    }
    Map<String, byte[]> fields = new java.util.LinkedHashMap<>();
    fields.put("action", bytes(data.consumeBoolean() ? "wx.openApi" : data.consumeString(12)));
    fields.put("apiName", bytes(data.consumeString(40)));
    fields.put("requestData", requestData);
    fields.put("envName", bytes(data.consumeString(12)));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    fields.forEach((name, value) -> {
      out.writeBytes(bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name
          + "\"" + (name.equals("requestData") ? "\r\nContent-Type: application/octet-stream" : "")
          + "\r\n\r\n"));
      out.writeBytes(value);
      out.writeBytes(bytes("\r\n"));
    });
    out.writeBytes(bytes("--" + BOUNDARY + "--\r\n"));
    return out.toByteArray();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
