package dev.tempmedia.media.rules;

import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.wechat.ErrorCode;
import java.util.Set;

/**
 * What one product accepts for one media type under one rule set.
 *
 * @param formats          the formats accepted, detected from the bytes; empty means anything
 * @param maxAudioMillis   the longest audio accepted, or 0 for no limit
 * @param sizeError        the error answered when a file is over {@code maxBytes}
 */
public record MediaRule(
    MediaType type,
    long maxBytes,
    long minBytes,
    Set<MediaFormat> formats,
    long maxAudioMillis,
    ErrorCode sizeError) {

  public MediaRule {
    formats = Set.copyOf(formats);
  }

  public boolean accepts(MediaFormat format) {
    return formats.isEmpty() || formats.contains(format);
  }
}
