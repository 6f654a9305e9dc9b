package dev.tempmedia.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.emulator.ClockControl;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code clock} (dev mode only): read it, advance it by an ISO-8601 duration, set it, reset it. */
public final class ClockRoutes {
  private final ClockControl clock;

  public ClockRoutes(ClockControl clock) {
    this.clock = clock;
  }

  Map<String, Object> move(AdminCall call) {
    JsonNode body = call.body();
    int given = (body.has("advance") ? 1 : 0)
        + (body.has("set") ? 1 : 0)
        + (body.path("reset").asBoolean() ? 1 : 0);
    if (given != 1) {
      throw AdminError.badRequest(
          "send exactly one of {\"advance\":\"PT72H\"}, {\"set\":\"2027-01-01T00:00:00Z\"}"
              + " or {\"reset\":true}");
    }
    if (body.has("advance")) {
      clock.advance(duration(body.path("advance").asText()));
    } else if (body.has("set")) {
      clock.set(instant(body.path("set").asText()));
    } else {
      clock.reset();
    }
    return view();
  }

  Map<String, Object> view(AdminCall call) {
    return view();
  }

  private Map<String, Object> view() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("now", clock.now().toString());
    body.put("offsetSeconds", clock.offset().toSeconds());
    return body;
  }

  /** ISO-8601: PT72H, P3D, PT90M, P3DT1H, -PT1H. */
  private static Duration duration(String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw AdminError.badRequest(
          "advance: \"" + text + "\" is not an ISO-8601 duration (PT72H, P3D, PT90M, -PT1H)");
    }
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw AdminError.badRequest(
          "set: \"" + text + "\" is not an ISO-8601 instant in UTC (2027-01-01T00:00:00Z)");
    }
  }
}
