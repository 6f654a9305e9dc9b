package dev.tempmedia.compat;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;
import org.junit.jupiter.api.Assumptions;

/**
 * WxJava's four HTTP backends, and how each product's service is pointed at tempmedia: the base URL
 * settings are the only change a user makes. Services are found by name because the suite also runs
 * against an older WxJava line that has no HttpClient 5 backend.
 */
public enum WxBackend {
  APACHE_HTTPCLIENT_4("HttpClient", "HttpClient", "ApacheHttpClient"),
  HTTPCLIENT_5("HttpComponents", "HttpComponents", "HttpComponents"),
  OKHTTP("OkHttp", "OkHttp", "OkHttp"),
  JODD_HTTP("JoddHttp", "JoddHttp", "JoddHttp");

  private final String mp;
  private final String ma;
  private final String cp;

  WxBackend(String mp, String ma, String cp) {
    this.mp = "me.chanjar.weixin.mp.api.impl.WxMpService" + mp + "Impl";
    this.ma = "cn.binarywang.wx.miniapp.api.impl.WxMaService" + ma + "Impl";
    this.cp = "me.chanjar.weixin.cp.api.impl.WxCpService" + cp + "Impl";
  }

  public WxMpService officialAccount(
      String baseUrl, String appId, String secret, boolean stableToken) {
    WxMpDefaultConfigImpl config = new WxMpDefaultConfigImpl();
    config.setAppId(appId);
    config.setSecret(secret);
    config.setUseStableAccessToken(stableToken);
    WxMpHostConfig hosts = new WxMpHostConfig();
    hosts.setApiHost(baseUrl);
    hosts.setMpHost(baseUrl);
    hosts.setOpenHost(baseUrl);
    config.setHostConfig(hosts);
    WxMpService service = create(mp, WxMpService.class);
    service.setWxMpConfigStorage(config);
    service.setRetrySleepMillis(50);
    return service;
  }

  public WxMaService miniProgram(String baseUrl, String appId, String secret) {
    WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
    config.setAppid(appId);
    config.setSecret(secret);
    config.setApiHostUrl(baseUrl);
    WxMaService service = create(ma, WxMaService.class);
    service.setWxMaConfig(config);
    service.setRetrySleepMillis(50);
    return service;
  }

  public WxCpService wecom(String baseUrl, String corpId, String secret) {
    WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
    config.setCorpId(corpId);
    config.setCorpSecret(secret);
    config.setAgentId(1000002);
    config.setBaseApiUrl(baseUrl);
    // weixin-java-cp's HttpClient 5 service reads the proxy password even with no proxy set, and
    // fails on null: any user of that backend needs this line (docs/compatibility.md).
    config.setHttpProxyPassword("");
    WxCpService service = create(cp, WxCpService.class);
    service.setWxCpConfigStorage(config);
    service.setRetrySleepMillis(50);
    return service;
  }

  /** The service class of this backend, or the test is skipped when this WxJava line has none. */
  private static <T> T create(String className, Class<T> type) {
    Class<?> impl;
    try {
      impl = Class.forName(className);
    } catch (ClassNotFoundException e) {
      Assumptions.abort(className + " is not in WxJava " + WxJavaLine.version());
      throw new IllegalStateException(e);
    }
    try {
      return type.cast(impl.getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + className, e);
    }
  }
}
