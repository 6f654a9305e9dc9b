package dev.tempmedia.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** camelCase keys made WeChat's, at every depth, as wx-server-sdk's convertCase does. */
class SnakeCaseTest {
  @Test
  void everyKeyAtEveryDepthValuesUntouched() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(SnakeCase.keys(json.readTree("{\"touser\":\"oX\",\"msgType\":\"miniprogrampage\","
                + "\"miniprogrampage\":{\"thumbMediaId\":\"aBc\",\"pagepath\":\"p\"},"
                + "\"list\":[{\"headContent\":\"Keep Me\"}]}"))
            .toString())
        .isEqualTo("{\"touser\":\"oX\",\"msg_type\":\"miniprogrampage\","
            + "\"miniprogrampage\":{\"thumb_media_id\":\"aBc\",\"pagepath\":\"p\"},"
            + "\"list\":[{\"head_content\":\"Keep Me\"}]}");
    assertThat(SnakeCase.key("MediaId")).isEqualTo("media_id");
  }
}
