package dev.tempmedia.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.emulator.FaultRule;
import dev.tempmedia.emulator.FaultRules;
import dev.tempmedia.wechat.ErrorCode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code faults} (dev mode only): add a rule, list them with how often each fired, clear them. */
public final class FaultRoutes {
  private static final Set<String> FIELDS =
      Set.of("path", "appid", "type", "errcode", "latencyMs", "drop", "times", "probability");

  private final FaultRules rules;

  public FaultRoutes(FaultRules rules) {
    this.rules = rules;
  }

  Map<String, Object> add(AdminCall call) {
    JsonNode body = call.body();
    if (!body.isObject()) {
      throw AdminError.badRequest(
          "send a rule as JSON, e.g. {\"path\":\"/cgi-bin/media/upload\",\"errcode\":-1,\"times\":1}");
    }
    body.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw AdminError.badRequest("unknown field \"" + name + "\"; a rule has " + FIELDS);
      }
    });
    Integer errcode = body.hasNonNull("errcode") ? integer(body, "errcode") : null;
    if (errcode != null) {
      try {
        ErrorCode.fromCode(errcode);
      } catch (IllegalArgumentException e) {
        throw AdminError.badRequest(
            "errcode " + errcode + " is not one this server knows; it can answer "
                + Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
      }
    }
    FaultRule rule = rules.add(
        body.path("path").asText(null),
        body.path("appid").asText(null),
        body.path("type").asText(null),
        errcode,
        body.hasNonNull("latencyMs") ? integer(body, "latencyMs") : 0,
        body.path("drop").asBoolean(false),
        body.hasNonNull("times") ? integer(body, "times") : null,
        body.hasNonNull("probability") ? number(body, "probability") : null);
    return Map.of("id", rule.id());
  }

  Map<String, Object> list(AdminCall call) {
    return Map.of("faults", list());
  }

  Map<String, Object> clear(AdminCall call) {
    return Map.of("cleared", rules.clear());
  }

  private List<Map<String, Object>> list() {
    return rules.list().stream()
        .map(r -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", r.id());
          m.put("path", r.path());
          m.put("appid", r.appid());
          m.put("type", r.type());
          m.put("errcode", r.errcode());
          m.put("latencyMs", r.latencyMs());
          m.put("drop", r.drop());
          m.put("times", r.times());
          m.put("probability", r.probability());
          m.put("fired", r.fired().get());
          return m;
        })
        .toList();
  }

  private static int integer(JsonNode body, String field) {
    JsonNode v = body.path(field);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw AdminError.badRequest(field + " must be a whole number");
    }
    return v.intValue();
  }

  private static double number(JsonNode body, String field) {
    JsonNode v = body.path(field);
    if (!v.isNumber()) {
      throw AdminError.badRequest(field + " must be a number");
    }
    return v.doubleValue();
  }
}
