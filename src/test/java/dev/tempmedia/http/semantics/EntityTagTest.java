package dev.tempmedia.http.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagTest {

  private static EntityTag tag(String value) {
    return EntityTag.parse(value).orElseThrow();
  }

  @Test
  void parsesStrongAndWeakTags() {
    assertThat(tag("\"xyzzy\"")).isEqualTo(new EntityTag(false, "\"xyzzy\""));
    assertThat(tag("W/\"xyzzy\"")).isEqualTo(new EntityTag(true, "\"xyzzy\""));
    assertThat(tag("\"\"")).isEqualTo(new EntityTag(false, "\"\""));
    assertThat(tag(" \"a,b\" ")).isEqualTo(new EntityTag(false, "\"a,b\""));
    assertThat(tag("W/\"1\"").toString()).isEqualTo("W/\"1\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "xyzzy",
        "\"xyzzy",
        "xyzzy\"",
        "w/\"xyzzy\"",
        "W/xyzzy",
        "W/",
        "\"a b\"",
        "\"a\"\"b\"",
        "\"a\" x",
        "\"a\",\"b\"",
        "*",
        "\"a\u0000\"",
        "\"a\u20ac\""
      })
  void rejectsWhatIsNotOneEntityTag(String value) {
    assertThat(EntityTag.parse(value)).isEmpty();
  }

  /** The comparison table of RFC 9110 §8.8.3.2. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "W/\"1\" | W/\"1\" | false | true",
        "W/\"1\" | W/\"2\" | false | false",
        "W/\"1\" | \"1\"   | false | true",
        "\"1\"   | \"1\"   | true  | true",
      })
  void rfc9110ComparisonTable(String a, String b, boolean strong, boolean weak) {
    assertThat(tag(a).strongMatch(tag(b))).isEqualTo(strong);
    assertThat(tag(b).strongMatch(tag(a))).isEqualTo(strong);
    assertThat(tag(a).weakMatch(tag(b))).isEqualTo(weak);
    assertThat(tag(b).weakMatch(tag(a))).isEqualTo(weak);
  }

  @Test
  void parsesLists() {
    assertThat(EntityTag.parseCondition("*").any()).isTrue();
    assertThat(EntityTag.parseCondition(" * ").any()).isTrue();
    assertThat(
            EntityTag.parseCondition("\"xyzzy\", \"r2d2xxxx\", \"c3piozzzz\"").tags())
        .extracting(EntityTag::opaqueTag)
        .containsExactly("\"xyzzy\"", "\"r2d2xxxx\"", "\"c3piozzzz\"");
    assertThat(EntityTag.parseCondition("W/\"xyzzy\",W/\"r2d2xxxx\"").tags())
        .containsExactly(new EntityTag(true, "\"xyzzy\""), new EntityTag(true, "\"r2d2xxxx\""));
  }

  @Test
  void commasInsideTagsDoNotSplitThem() {
    assertThat(EntityTag.parseCondition("\"a,b\", \"c\"").tags())
        .extracting(EntityTag::opaqueTag)
        .containsExactly("\"a,b\"", "\"c\"");
  }

  @Test
  void dropsMembersThatAreNotTags() {
    assertThat(EntityTag.parseCondition("xyzzy, \"ok\", \"bad tag\", *, W/nope, \"x\"y, \"z\"")
            .tags())
        .extracting(EntityTag::opaqueTag)
        .containsExactly("\"ok\"", "\"z\"");
    assertThat(EntityTag.parseCondition(",,, ,").tags()).isEmpty();
    assertThat(EntityTag.parseCondition("\"unterminated").tags()).isEmpty();
    assertThat(EntityTag.parseCondition("\"a\", *").any()).isFalse();
  }

  @Test
  void longListsAreLinear() {
    String list = "\"a\", ".repeat(50_000) + "\"b\"";
    List<EntityTag> tags = EntityTag.parseCondition(list).tags();
    assertThat(tags).hasSize(50_001);
    assertThat(tags.get(50_000).opaqueTag()).isEqualTo("\"b\"");
  }
}
