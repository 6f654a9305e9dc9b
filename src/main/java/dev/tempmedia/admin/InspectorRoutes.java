package dev.tempmedia.admin;

import dev.tempmedia.inspector.RequestLog;
import dev.tempmedia.inspector.RequestRecord;
import dev.tempmedia.wechat.RequestId;
import java.util.Map;
import java.util.function.Predicate;

/** {@code requests}: the request inspector, newest first, filtered by appid, errcode and rid (or WeCom hint). */
public final class InspectorRoutes {
  private static final int DEFAULT_LIMIT = 100;

  private final RequestLog log;

  public InspectorRoutes(RequestLog log) {
    this.log = log;
  }

  Map<String, Object> list(AdminCall call) {
    String appid = call.query("appid");
    String rid = call.query("rid");
    Integer errcode = whole(call.query("errcode"), "errcode");
    Integer limit = whole(call.query("limit"), "limit");
    Predicate<RequestRecord> filter = r -> (appid == null || appid.equals(r.appid()))
        && (rid == null || rid.equals(r.rid()) || isWecomHintOf(rid, r.rid()))
        && (errcode == null || errcode == r.errcode());
    int max = limit == null ? DEFAULT_LIMIT : Math.max(0, Math.min(limit, log.capacity()));
    return Map.of("requests", log.newest(filter, max));
  }

  /** WeCom clients see a request's id as the 25-digit hint in errmsg ("hint: [...]"), not as its rid. */
  private static boolean isWecomHintOf(String wanted, String rid) {
    return wanted.length() == 25
        && RequestId.parse(rid).map(RequestId::wecomHint).filter(wanted::equals).isPresent();
  }

  private static Integer whole(String text, String name) {
    if (text == null) {
      return null;
    }
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw AdminError.badRequest(name + " must be a whole number, not \"" + text + "\"");
    }
  }
}
