package dev.tempmedia.wechat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cloud-call (云调用) envelope of a mini program's open-API calls (SPEC §5): camelCase
 * {@code errCode}/{@code errMsg}, the message naming the API with {@code :ok} or {@code :fail …}.
 */
public final class CloudCallShape {
  private final Dialect dialect;

  CloudCallShape(Dialect dialect) {
    this.dialect = dialect;
  }

  /** {@code {"errCode":0,"errMsg":"<api>:ok"}}, to which the answer's own fields are added. */
  public Map<String, Object> ok(String api) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("errCode", 0);
    body.put("errMsg", api + ":ok");
    return body;
  }

  /** The errMsg of a failure: {@code "<api>:fail <WeChat text> rid: …"}. */
  public String errmsg(String api, ErrorCode error, RequestId id, String clientIp) {
    return api + ":fail " + dialect.errmsg(error, id, clientIp);
  }

  public Map<String, Object> errorBody(int errcode, String errmsg) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("errCode", errcode);
    body.put("errMsg", errmsg);
    return body;
  }
}
