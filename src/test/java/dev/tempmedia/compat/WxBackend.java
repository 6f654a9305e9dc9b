package dev.tempmedia.compat;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceHttpClientImpl;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceHttpComponentsImpl;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceJoddHttpImpl;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceOkHttpImpl;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import java.util.function.Supplier;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.api.impl.WxCpServiceApacheHttpClientImpl;
import me.chanjar.weixin.cp.api.impl.WxCpServiceHttpComponentsImpl;
import me.chanjar.weixin.cp.api.impl.WxCpServiceJoddHttpImpl;
import me.chanjar.weixin.cp.api.impl.WxCpServiceOkHttpImpl;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.api.impl.WxMpServiceHttpClientImpl;
import me.chanjar.weixin.mp.api.impl.WxMpServiceHttpComponentsImpl;
import me.chanjar.weixin.mp.api.impl.WxMpServiceJoddHttpImpl;
import me.chanjar.weixin.mp.api.impl.WxMpServiceOkHttpImpl;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;

/**
 * WxJava's four HTTP backends, and how each product's service is pointed at tempmedia: the base URL
 * settings are the only change a user makes.
 */
public enum WxBackend {
  APACHE_HTTPCLIENT_4(WxMpServiceHttpClientImpl::new, WxMaServiceHttpClientImpl::new, WxCpServiceApacheHttpClientImpl::new),
  HTTPCLIENT_5(WxMpServiceHttpComponentsImpl::new, WxMaServiceHttpComponentsImpl::new, WxCpServiceHttpComponentsImpl::new),
  OKHTTP(WxMpServiceOkHttpImpl::new, WxMaServiceOkHttpImpl::new, WxCpServiceOkHttpImpl::new),
  JODD_HTTP(WxMpServiceJoddHttpImpl::new, WxMaServiceJoddHttpImpl::new, WxCpServiceJoddHttpImpl::new);

  private final Supplier<WxMpService> mp;
  private final Supplier<WxMaService> ma;
  private final Supplier<WxCpService> cp;

  WxBackend(Supplier<WxMpService> mp, Supplier<WxMaService> ma, Supplier<WxCpService> cp) {
    this.mp = mp;
    this.ma = ma;
    this.cp = cp;
  }

  public WxMpService officialAccount(String baseUrl, String appId, String secret, boolean stableToken) {
    WxMpDefaultConfigImpl config = new WxMpDefaultConfigImpl();
    config.setAppId(appId);
    config.setSecret(secret);
    config.setUseStableAccessToken(stableToken);
    WxMpHostConfig hosts = new WxMpHostConfig();
    hosts.setApiHost(baseUrl);
    hosts.setMpHost(baseUrl);
    hosts.setOpenHost(baseUrl);
    config.setHostConfig(hosts);
    WxMpService service = mp.get();
    service.setWxMpConfigStorage(config);
    service.setRetrySleepMillis(50);
    return service;
  }

  public WxMaService miniProgram(String baseUrl, String appId, String secret) {
    WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
    config.setAppid(appId);
    config.setSecret(secret);
    config.setApiHostUrl(baseUrl);
    WxMaService service = ma.get();
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
    WxCpService service = cp.get();
    service.setWxCpConfigStorage(config);
    service.setRetrySleepMillis(50);
    return service;
  }
}
