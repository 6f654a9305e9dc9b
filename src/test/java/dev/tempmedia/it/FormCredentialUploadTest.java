package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload whose access_token and type are form fields after the file, as weixin-popular's
 * MediaAPI.mediaUpload sends them: stored like any upload, refused like any upload.
 */
class FormCredentialUploadTest {
  @TempDir
  Path data;

  TestServer server;

  @BeforeEach
  void start() {
    server = new TestServer(data);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Multipart field(Multipart form, String name, String value) {
    return form.part(
        "Content-Disposition: form-data; name=\"" + name + "\"\r\n"
            + "Content-Type: text/plain; charset=ISO-8859-1\r\n",
        value.getBytes(StandardCharsets.ISO_8859_1));
  }

  private JsonNode upload(byte[] file, String token, String type) {
    Multipart form = new Multipart().media("photo.jpg", file);
    if (token != null) {
      field(form, "access_token", token);
    }
    if (type != null) {
      field(form, "type", type);
    }
    return json(server.uploadRaw(WeChatApi.MEDIA_UPLOAD, form.contentType(), form.close()));
  }

  @Test
  void theTokenAndTypeAfterTheFileStoreItAndItDownloadsByteIdentical() {
    String token = server.token("official-account");
    byte[] jpeg = MediaSamples.jpeg(64, 48);
    JsonNode up = upload(jpeg, token, "image");
    assertThat(up.path("type").asText()).as(up.toString()).isEqualTo("image");
    byte[] back = server.download(token, up.path("media_id").asText()).body();
    assertThat(back).isEqualTo(jpeg);
  }

  @Test
  void theFormIsCheckedLikeAnyUpload() {
    String token = server.token("official-account");
    assertThat(upload(MediaSamples.jpeg(8, 8), null, "image").path("errcode").asInt())
        .isEqualTo(41001);
    assertThat(upload(MediaSamples.jpeg(8, 8), "not-a-token", "image")
            .path("errcode")
            .asInt())
        .isEqualTo(40001);
    assertThat(upload(MediaSamples.jpeg(8, 8), token, "sticker").path("errcode").asInt())
        .isEqualTo(40004);
    assertThat(upload(MediaSamples.png(8, 8), token, "thumb").path("errcode").asInt())
        .as("a thumb is a JPEG")
        .isEqualTo(40005);
    assertThat(upload(MediaSamples.jpeg(8, 8), token, "x".repeat(2000))
            .path("errcode")
            .asInt())
        .as("a field over 1 KiB")
        .isEqualTo(47001);
    assertThat(server.storedObjectCount()).isZero();
  }
}
