package dev.tempmedia.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.QueryParamDecoderConfig;
import io.vertx.core.internal.http.QueryParamDecoder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainQuery} gives what Vert.x's {@code getParam} gives, for every query it reads itself,
 * and hands every other query back. Held to Vert.x's own decoder (the one behind {@code
 * HttpServerRequest.params()}, with its default configuration) on fixed cases and 200 000 random
 * queries over an alphabet chosen to collide: names differing in case, '=' and '&' anywhere, and the
 * characters that make a query not plain.
 */
class PlainQueryTest {
  private static final QueryParamDecoder VERTX =
      new QueryParamDecoder(new QueryParamDecoderConfig());

  private static String vertx(String query, String name) {
    return VERTX.decode("/cgi-bin/media/get?" + query).get(name);
  }

  @Test
  void readsTheParametersOfAnSdksQueryAsVertxDoes() {
    String query = "access_token=84_AbC-dEf_123&media_id=3Yq-Ab_0&type=image";
    assertThat(PlainQuery.first(query, "access_token")).isEqualTo("84_AbC-dEf_123");
    assertThat(PlainQuery.first(query, "media_id")).isEqualTo("3Yq-Ab_0");
    assertThat(PlainQuery.first(query, "type")).isEqualTo("image");
    assertThat(PlainQuery.first(query, "missing")).isNull();
    assertThat(PlainQuery.first(null, "type")).isNull();
    assertThat(PlainQuery.first("", "type")).isNull();
  }

  @Test
  void namesMatchInAnyCaseAndTheFirstOccurrenceWins() {
    assertThat(PlainQuery.first("MEDIA_ID=a&media_id=b", "media_id")).isEqualTo("a");
    assertThat(PlainQuery.first("media_id&media_id=b", "media_id")).isEqualTo("");
    assertThat(PlainQuery.first("&&media_id==x=&", "media_id")).isEqualTo("=x=");
    assertThat(PlainQuery.first("media_idx=a&xmedia_id=b", "media_id")).isNull();
    assertThat(PlainQuery.first("==media_id=c", "media_id"))
        .as("as Netty reads it")
        .isEqualTo("c");
  }

  @Test
  void queriesThatNeedDecodingAreLeftToVertx() {
    for (String query : new String[] {
      "media_id=a%20b", "media_id=a+b", "media_id=a;b", "media_id=a#b", "x=%&media_id=a"
    }) {
      assertThat(PlainQuery.first(query, "media_id")).as(query).isSameAs(PlainQuery.NOT_PLAIN);
    }
    String many = "a=1&".repeat(PlainQuery.MAX_PARAMS) + "media_id=late";
    assertThat(PlainQuery.first(many, "media_id")).isSameAs(PlainQuery.NOT_PLAIN);
    assertThat(vertx(many, "media_id")).as("Vert.x stops decoding there").isNull();
  }

  @Test
  void randomQueriesReadTheSameAsVertxReadsThem() {
    char[] alphabet = "aAbB_==&&&%+;#1".toCharArray();
    String[] names = {"a", "ab", "A_b", "b", "aa"};
    Random random = new Random(20261201);
    int plain = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder query = new StringBuilder();
      int length = random.nextInt(14);
      for (int k = 0; k < length; k++) {
        // Mostly plain characters, so that most queries are read by the fast path.
        query.append(alphabet[random.nextInt(random.nextInt(10) < 9 ? 9 : alphabet.length)]);
      }
      String name = names[random.nextInt(names.length)];
      String ours = PlainQuery.first(query.toString(), name);
      if (ours != PlainQuery.NOT_PLAIN) {
        plain++;
        assertThat(ours).as("%s in %s", name, query).isEqualTo(vertx(query.toString(), name));
      }
    }
    assertThat(plain).as("most random queries are plain").isGreaterThan(100_000);
  }
}
