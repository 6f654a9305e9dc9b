package dev.tempmedia.media.multipart;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The header lines of one part, names lowercased; a repeated name keeps its first value. */
public record PartHeaders(Map<String, String> fields) {
  public PartHeaders {
    fields = Map.copyOf(fields);
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(fields.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The identity transfer encodings; anything else would need decoding nobody sends to WeChat. */
  static final List<String> IDENTITY_ENCODINGS = List.of("binary", "8bit", "7bit");
}
