package dev.tempmedia.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What rid/get may show of a request's URL: everything but the credentials, as it was sent. */
class RequestRecorderTest {
  @Test
  void credentialsInAnyCaseAreDroppedAndTheRestKeptInOrder() {
    assertThat(RequestRecorder.withoutSecrets(
            "/cgi-bin/media/get", "access_token=T0KEN&media_id=abc&type=image"))
        .isEqualTo("/cgi-bin/media/get?media_id=abc&type=image");
    assertThat(RequestRecorder.withoutSecrets(
            "/cgi-bin/token",
            "grant_type=client_credential&appid=wx1&SECRET=s3&corpSecret=c&AppSecret=a&x"))
        .isEqualTo("/cgi-bin/token?grant_type=client_credential&appid=wx1&x");
    assertThat(RequestRecorder.withoutSecrets("/p", "media_id=a%20b&&access_token&=v&"))
        .as("escapes kept as sent, empty pairs dropped, a bare credential name dropped too")
        .isEqualTo("/p?media_id=a%20b&=v");
  }

  @Test
  void namesThatOnlyContainACredentialsNameAreKept() {
    assertThat(RequestRecorder.withoutSecrets("/p", "access_tokens=1&my_secret=2&secret_id=3"))
        .isEqualTo("/p?access_tokens=1&my_secret=2&secret_id=3");
  }

  @Test
  void aPathWithoutQueryIsThePath() {
    assertThat(RequestRecorder.withoutSecrets("/p", null)).isEqualTo("/p");
    assertThat(RequestRecorder.withoutSecrets("/p", "")).isEqualTo("/p");
    assertThat(RequestRecorder.withoutSecrets("/p", "access_token=x")).isEqualTo("/p");
  }
}
