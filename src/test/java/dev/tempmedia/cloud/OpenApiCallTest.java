package dev.tempmedia.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.cloud.proto.CommApiData;
import dev.tempmedia.cloud.proto.KeyValuePair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The decoder and the signature check on requests wx-server-sdk really sent ({@link CapturedRequests}). */
class OpenApiCallTest {

  @Test
  void theCapturedUploadCarriesTheFileRawWithAFilenameAndNoContentType() throws IOException {
    CapturedRequests captured = CapturedRequests.load("upload-png");
    TcbForm form = captured.form();
    assertThat(form.fields().keySet())
        .containsExactly(
            "action",
            "apiName",
            "requestData",
            "envName",
            "wxCloudApiToken",
            "wxCloudbaseAccesstoken",
            "tcb_sessionToken",
            "crossAuthorizationToken");
    assertThat(form.isFile("requestData")).isTrue();
    assertThat(form.isFile("action")).isFalse();

    OpenApiCall call = OpenApiCall.decode(form, "ignored");
    assertThat(call.apiName()).isEqualTo("customerServiceMessage.uploadTempMedia");
    assertThat(call.envName()).isEqualTo("capture-env");
    assertThat(call.appid()).isEmpty();
    assertThat(call.text("type")).contains("image");
    KeyValuePair media = call.media("media").orElseThrow();
    assertThat(media.getFilename()).isEqualTo("media.png");
    assertThat(media.getContenttype()).isEmpty();
    assertThat(media.getValue().toByteArray()).isEqualTo(picture());
  }

  @Test
  void theCapturedGetNamesItsMediaIdInSnakeCase() {
    OpenApiCall call = OpenApiCall.decode(CapturedRequests.load("get").form(), null);
    assertThat(call.apiName()).isEqualTo("customerServiceMessage.getTempMedia");
    assertThat(call.params().keySet()).containsExactly("media_id");
    assertThat(call.text("media_id")).contains("MEDIA_ID");
  }

  @Test
  void theCrossAccountFormNamesItsAppInCommApiData() {
    OpenApiCall call =
        OpenApiCall.decode(CapturedRequests.load("get-cross-account").form(), null);
    assertThat(call.appid()).isEqualTo("wx0000000000000002");
  }

  @Test
  void theV2FormAddsCgiNameAndIsReadTheSame() {
    TcbForm form = CapturedRequests.load("get-v2").form();
    assertThat(form.text("cgiName")).contains("commrpcv2");
    assertThat(OpenApiCall.decode(form, null).text("media_id")).contains("MEDIA_ID");
  }

  @Test
  void everyCapturedRequestVerifiesWithTheKeyItWasSignedWith() {
    for (String name : new String[] {"upload-png", "get", "get-cross-account", "get-v2"}) {
      CapturedRequests captured = CapturedRequests.load(name);
      TcbForm form = captured.form();
      Tc3Signature.verify(
          captured.signed(form),
          CapturedRequests.SECRET_ID,
          CapturedRequests.SECRET_KEY,
          captured.timestamp() + 599);
    }
  }

  @Test
  void aWrongKeyAStaleTimestampAnotherIdOrAChangedByteIsRefused() {
    CapturedRequests captured = CapturedRequests.load("upload-png");
    TcbForm form = captured.form();
    long now = captured.timestamp();
    assertThatThrownBy(() -> Tc3Signature.verify(
            captured.signed(form), CapturedRequests.SECRET_ID, "another-key", now))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("signature does not match")
        .hasMessageNotContaining("another-key");
    assertThatThrownBy(() -> Tc3Signature.verify(
            captured.signed(form),
            CapturedRequests.SECRET_ID,
            CapturedRequests.SECRET_KEY,
            now + 601))
        .hasMessageContaining("X-Timestamp");
    assertThatThrownBy(() -> Tc3Signature.verify(
            captured.signed(form), "AKIDother", CapturedRequests.SECRET_KEY, now))
        .hasMessageContaining("SecretId");
    byte[] changed = captured.body().clone();
    int at = indexOf(changed, "\"image\"".getBytes(StandardCharsets.US_ASCII));
    changed[at + 1] = 'I';
    TcbForm tampered = TcbForm.parse(captured.boundary(), changed, 1 << 20);
    assertThatThrownBy(() -> Tc3Signature.verify(
            captured.signed(tampered),
            CapturedRequests.SECRET_ID,
            CapturedRequests.SECRET_KEY,
            now))
        .hasMessageContaining("signature does not match");
    assertThatThrownBy(() -> Tc3Signature.verify(
            new Tc3Signature.Request("POST", "h", "/tcb/admin", null, name -> null, form),
            CapturedRequests.SECRET_ID,
            CapturedRequests.SECRET_KEY,
            now))
        .hasMessageContaining("not signed");
  }

  @Test
  void aFormOverTheCapIsRefusedAtTheGateway() {
    CapturedRequests captured = CapturedRequests.load("upload-png");
    assertThatThrownBy(() -> TcbForm.parse(captured.boundary(), captured.body(), 100))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.code()).isEqualTo("INVALID_PARAM"))
        .hasMessageContaining("over 100 bytes");
  }

  @Test
  void requestDataThatIsNotProtobufOrMissingFieldsAreClearRefusals() {
    CapturedRequests captured = CapturedRequests.load("get");
    String body = new String(captured.body(), StandardCharsets.ISO_8859_1);
    String broken = body.replaceFirst(
        "(?s)(name=\"requestData\".*?\\r\\n\\r\\n).*?(\\r\\n--)", "$1\u00ff\u00ff\u00ff$2");
    TcbForm form =
        TcbForm.parse(captured.boundary(), broken.getBytes(StandardCharsets.ISO_8859_1), 1 << 20);
    assertThatThrownBy(() -> OpenApiCall.decode(form, null))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("requestData is not a protobuf CommApiData");

    String noApi = body.replace("name=\"apiName\"", "name=\"apiNamX\"");
    assertThatThrownBy(() -> OpenApiCall.decode(
            TcbForm.parse(
                captured.boundary(), noApi.getBytes(StandardCharsets.ISO_8859_1), 1 << 20),
            null))
        .hasMessageContaining("no apiName");
  }

  @Test
  void anotherApiTypeIsRefused() {
    byte[] data = CommApiData.newBuilder()
        .setApiType(CommApiData.ApiType.SVRKIT_API)
        .build()
        .toByteArray();
    TcbForm form = new TcbForm(1 << 20);
    form.partBegin(part("action", false));
    form.partData(java.nio.ByteBuffer.wrap("wx.openApi".getBytes(StandardCharsets.UTF_8)));
    form.partEnd();
    form.partBegin(part("apiName", false));
    form.partData(java.nio.ByteBuffer.wrap("a.b".getBytes(StandardCharsets.UTF_8)));
    form.partEnd();
    form.partBegin(part("requestData", true));
    form.partData(java.nio.ByteBuffer.wrap(data));
    form.partEnd();
    assertThatThrownBy(() -> OpenApiCall.decode(form, null)).hasMessageContaining("apiType is 2");
  }

  private static dev.tempmedia.media.multipart.PartHeaders part(String name, boolean file) {
    var fields = new java.util.LinkedHashMap<String, String>();
    fields.put(
        "content-disposition",
        "form-data; name=\"" + name + "\"" + (file ? "; filename=\"blob\"" : ""));
    return new dev.tempmedia.media.multipart.PartHeaders(fields);
  }

  private static byte[] picture() throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(
        java.nio.file.Path.of("compat/node/fixtures/picture.png"))) {
      return in.readAllBytes();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
