package dev.tempmedia.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathTableTest {
  private final PathTable<String> table = new PathTable<String>()
      .add("/_tempmedia/**", "namespace")
      .add("/_tempmedia/video/**", "video")
      .add("/_tempmedia/media", "media")
      .add("/_tempmedia/media/{mediaId}", "media item")
      .add("/_tempmedia/tokens/{id}/invalidate", "invalidate")
      .add("/cgi-bin/token", "token");

  @Test
  void exactPathsAreFoundWithNoParameters() {
    PathTable.Match<String> m = table.find("/cgi-bin/token").orElseThrow();
    assertThat(m.value()).isEqualTo("token");
    assertThat(m.pattern()).isEqualTo("/cgi-bin/token");
    assertThat(m.params()).isEmpty();
  }

  @Test
  void placeholdersTakeOneNonEmptySegment() {
    assertThat(table.find("/_tempmedia/media/abc").orElseThrow().params())
        .isEqualTo(Map.of("mediaId", "abc"));
    assertThat(table.find("/_tempmedia/tokens/wx1/invalidate").orElseThrow().params())
        .isEqualTo(Map.of("id", "wx1"));
    assertThat(table.find("/_tempmedia/tokens/wx1/invalidate").orElseThrow().pattern())
        .isEqualTo("/_tempmedia/tokens/{id}/invalidate");
    // an empty or an extra segment is not the placeholder's: the namespace's catch-all answers
    assertThat(table.find("/_tempmedia/media/").orElseThrow().value()).isEqualTo("namespace");
    assertThat(table.find("/_tempmedia/media/a/b").orElseThrow().value()).isEqualTo("namespace");
  }

  @Test
  void exactBeatsPlaceholderBeatsPrefixAndTheLongestPrefixWins() {
    assertThat(table.find("/_tempmedia/media").orElseThrow().value()).isEqualTo("media");
    assertThat(table.find("/_tempmedia/video/wx1/abc").orElseThrow().value()).isEqualTo("video");
    assertThat(table.find("/_tempmedia/video/wx1/abc").orElseThrow().pattern())
        .isEqualTo("/_tempmedia/video/");
    assertThat(table.find("/_tempmedia/nothing").orElseThrow().value()).isEqualTo("namespace");
  }

  @Test
  void aPathNoRowNamesIsNotFound() {
    assertThat(table.find("/cgi-bin/token/")).isEmpty();
    assertThat(table.find("/cgi-bin/media/upload")).isEmpty();
    assertThat(table.find("/")).isEmpty();
  }

  @Test
  void twoRowsForOnePatternAreRefused() {
    assertThatThrownBy(() -> table.add("/cgi-bin/token", "again"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/cgi-bin/token");
  }

  @Test
  void entriesListWhatTheServerServesInTheOrderAdded() {
    assertThat(table.entries().keySet())
        .containsExactly(
            "/_tempmedia/**",
            "/_tempmedia/video/**",
            "/_tempmedia/media",
            "/_tempmedia/media/{mediaId}",
            "/_tempmedia/tokens/{id}/invalidate",
            "/cgi-bin/token");
  }
}
