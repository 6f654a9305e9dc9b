package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §5: the cloud-call shapes for mini programs. */
class CloudCallTest {
  static final String UPLOAD = "/openapi/customerServiceMessage/uploadTempMedia?access_token=";
  static final String GET = "/openapi/customerServiceMessage/getTempMedia?access_token=";

  @TempDir
  Path data;

  TestServer server;
  String token;

  @BeforeEach
  void start() {
    server = new TestServer(data);
    token = server.token("mini-program");
  }

  @AfterEach
  void stop() {
    if (server != null) { // null when the start was skipped (no redis-server for the scale-out run)
      server.close();
    }
  }

  @Test
  void base64UploadAndGetRoundTrip() {
    byte[] png = MediaSamples.png(40, 40);
    JsonNode up = json(server.postJson(
        UPLOAD + token,
        "{\"type\":\"image\",\"media\":{\"contentType\":\"image/png\"," + "\"value\":\""
            + Base64.getEncoder().encodeToString(png) + "\"}}"));
    assertThat(up.get("errCode").asInt()).as(up.toString()).isZero();
    assertThat(up.get("errMsg").asText())
        .isEqualTo("openapi.customerServiceMessage.uploadTempMedia:ok");
    assertThat(up.get("type").asText()).isEqualTo("image");
    assertThat(up.get("mediaId").asText()).hasSize(64);
    assertThat(up.get("createdAt").isNumber()).isTrue();

    JsonNode got =
        json(server.postJson(GET + token, "{\"mediaId\":\"" + up.get("mediaId").asText() + "\"}"));
    assertThat(got.get("errCode").asInt()).isZero();
    assertThat(got.get("errMsg").asText())
        .isEqualTo("openapi.customerServiceMessage.getTempMedia:ok");
    assertThat(got.get("contentType").asText()).isEqualTo("image/png");
    assertThat(Base64.getDecoder().decode(got.get("buffer").asText())).isEqualTo(png);

    // The same media through the plain endpoint.
    assertThat(server.download(token, up.get("mediaId").asText()).body()).isEqualTo(png);
  }

  @Test
  void nodeBufferUpload() {
    byte[] jpeg = MediaSamples.jpeg(20, 20);
    StringJoiner data = new StringJoiner(",", "[", "]");
    for (byte b : jpeg) {
      data.add(Integer.toString(b & 0xFF));
    }
    JsonNode up = json(server.postJson(
        UPLOAD + token,
        "{\"type\":\"image\",\"media\":{\"contentType\":\"image/jpeg\","
            + "\"value\":{\"type\":\"Buffer\",\"data\":" + data + "}}}"));
    assertThat(up.get("errCode").asInt()).as(up.toString()).isZero();
    assertThat(server.download(token, up.get("mediaId").asText()).body()).isEqualTo(jpeg);
  }

  @Test
  void failuresAnswerInTheCloudCallShape() {
    JsonNode bad = json(server.postJson(GET + token, "{\"mediaId\":\"nope\"}"));
    assertThat(bad.get("errCode").asInt()).isEqualTo(40007);
    assertThat(bad.get("errMsg").asText())
        .matches(
            "openapi\\.customerServiceMessage\\.getTempMedia:fail invalid media_id rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
    assertThat(bad.has("errcode")).isFalse();

    JsonNode wrongType = json(server.postJson(
        UPLOAD + token,
        "{\"type\":\"voice\",\"media\":{\"contentType\":\"audio/amr\"," + "\"value\":\""
            + Base64.getEncoder().encodeToString(MediaSamples.amr(1)) + "\"}}"));
    assertThat(wrongType.get("errCode").asInt()).isEqualTo(40004);
    assertThat(wrongType.get("errMsg").asText())
        .startsWith("openapi.customerServiceMessage.uploadTempMedia:fail invalid media type");

    JsonNode notAnImage = json(server.postJson(
        UPLOAD + token,
        "{\"type\":\"image\",\"media\":{\"contentType\":\"image/png\"," + "\"value\":\""
            + Base64.getEncoder().encodeToString("plain text".getBytes()) + "\"}}"));
    assertThat(notAnImage.get("errCode").asInt()).isEqualTo(40005);

    JsonNode noMedia = json(server.postJson(UPLOAD + token, "{\"type\":\"image\"}"));
    assertThat(noMedia.get("errCode").asInt()).isEqualTo(41005);

    JsonNode noToken = json(server.postJson(UPLOAD, "{}"));
    assertThat(noToken.get("errCode").asInt()).isEqualTo(41001);

    JsonNode officialAccount =
        json(server.postJson(UPLOAD + server.token("official-account"), "{}"));
    assertThat(officialAccount.get("errCode").asInt()).isEqualTo(40001);
  }
}
