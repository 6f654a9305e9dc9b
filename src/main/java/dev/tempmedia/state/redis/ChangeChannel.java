package dev.tempmedia.state.redis;

import dev.tempmedia.state.TokenLineKey;
import java.util.Optional;

/**
 * The messages every instance publishes on the changes channel, so that the others drop what they
 * cached (or, for the clock, follow the move at once). On the wire one line of text: {@code line
 * <app>/<line>}, {@code epoch <app>}, {@code app <id>}, {@code clock <offset millis>}.
 */
final class ChangeChannel {
  static final String CHANNEL_SUFFIX = "changes";

  private ChangeChannel() {}

  /** What changed. */
  sealed interface Change permits Line, Epoch, App, Clock {}

  /** The channel's name. Pub/sub channels are global to a Redis server, not per database, so a database other than 0 is part of it. */
  static String name(String prefix, int database) {
    return prefix + CHANNEL_SUFFIX + (database == 0 ? "" : ":" + database);
  }

  /** A token line moved on. */
  record Line(TokenLineKey key) implements Change {}

  /** An app's epoch moved on. */
  record Epoch(String appId) implements Change {}

  /** A created app was added or removed. */
  record App(String id) implements Change {}

  /** The emulator clock's offset was set. */
  record Clock(long offsetMillis) implements Change {}

  static String encode(Change change) {
    if (change instanceof Line l) {
      return "line " + l.key().appId() + "/" + l.key().line();
    } else if (change instanceof Epoch e) {
      return "epoch " + e.appId();
    } else if (change instanceof App a) {
      return "app " + a.id();
    }
    return "clock " + ((Clock) change).offsetMillis();
  }

  /** The change a message carries; empty for a message this version does not know (a newer instance's). */
  static Optional<Change> decode(String message) {
    int space = message.indexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    String rest = message.substring(space + 1);
    switch (message.substring(0, space)) {
      case "line" -> {
        int slash = rest.indexOf('/');
        return slash > 0
            ? Optional.of(
                new Line(new TokenLineKey(rest.substring(0, slash), rest.substring(slash + 1))))
            : Optional.empty();
      }
      case "epoch" -> {
        return Optional.of(new Epoch(rest));
      }
      case "app" -> {
        return Optional.of(new App(rest));
      }
      case "clock" -> {
        try {
          return Optional.of(new Clock(Long.parseLong(rest)));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
      default -> {
        return Optional.empty();
      }
    }
  }
}
