package dev.tempmedia.compat.hardcoded;

import cn.felord.AgentDetails;
import cn.felord.DefaultAgent;
import cn.felord.WeComTokenCacheable;
import cn.felord.api.MediaApi;
import cn.felord.api.WorkWeChatApi;
import cn.felord.domain.MultipartResource;
import cn.felord.domain.media.MediaResponse;
import cn.felord.enumeration.MediaTypeEnum;
import cn.felord.retrofit.AccessTokenApi;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.ResponseBody;

/**
 * Drives wecom-sdk as an application would. It runs in {@link HardCodedHostWecomSdkTest}'s class
 * loader over the SDK's own jars, so it may use only the SDK's classes and the JDK's, and it answers
 * in JDK types only (the test's class loader has other copies of every other class).
 */
public final class WecomSdkDriver {
  private WecomSdkDriver() {}

  /**
   * Token, image upload and download. Answers {@code token}, {@code mediaId}, {@code type}, {@code
   * createdAt}, {@code bytes}, {@code contentType}, and the Jackson the SDK ran on ({@code
   * jackson}).
   */
  public static Map<String, Object> tokenUploadGet(
      String corpId, String secret, String fileName, byte[] image) throws Exception {
    MemoryCache cache = new MemoryCache();
    AgentDetails agent = DefaultAgent.of(corpId, secret, "1000002"); // the agent id is a cache key
    Map<String, Object> out = new HashMap<>();
    out.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
    out.put("token", new AccessTokenApi(cache, agent).getToken());
    MediaApi media = new WorkWeChatApi(cache).mediaApi(agent);
    MediaResponse up =
        media.uploadMedia(MediaTypeEnum.IMAGE, new MultipartResource(fileName, image));
    out.put("mediaId", up.getData());
    out.put("type", String.valueOf(up.getType()));
    out.put("createdAt", String.valueOf(up.getCreatedAt()));
    try (ResponseBody body = media.getMedia(up.getData())) {
      out.put("contentType", String.valueOf(body.contentType()));
      out.put("bytes", body.bytes());
    }
    return out;
  }

  /** The SDK ships no token cache: an in-memory one. */
  static final class MemoryCache implements WeComTokenCacheable {
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> corpTickets = new ConcurrentHashMap<>();
    private final Map<String, String> agentTickets = new ConcurrentHashMap<>();

    private static String key(String corpId, String agentId) {
      return corpId + "::" + agentId;
    }

    @Override
    public String putAccessToken(String corpId, String agentId, String accessToken) {
      tokens.put(key(corpId, agentId), accessToken);
      return accessToken;
    }

    @Override
    public String getAccessToken(String corpId, String agentId) {
      return tokens.get(key(corpId, agentId));
    }

    @Override
    public void clearAccessToken(String corpId, String agentId) {
      tokens.remove(key(corpId, agentId));
    }

    @Override
    public String putCorpTicket(String corpId, String agentId, String corpTicket) {
      corpTickets.put(key(corpId, agentId), corpTicket);
      return corpTicket;
    }

    @Override
    public String getCorpTicket(String corpId, String agentId) {
      return corpTickets.get(key(corpId, agentId));
    }

    @Override
    public String putAgentTicket(String corpId, String agentId, String agentTicket) {
      agentTickets.put(key(corpId, agentId), agentTicket);
      return agentTicket;
    }

    @Override
    public String getAgentTicket(String corpId, String agentId) {
      return agentTickets.get(key(corpId, agentId));
    }
  }
}
