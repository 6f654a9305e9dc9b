package dev.tempmedia.junit;

import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;

/**
 * Points WxJava's configuration objects at a {@link Tempmedia}: the base URL settings are the only
 * change a WxJava user makes. An app id or secret the configuration lacks is filled with the
 * well-known development app's. WxJava is an optional dependency of this artifact: only the WxJava
 * module whose method you call needs to be on your class path; the methods have a name per product
 * so that the compiler never needs the other two.
 *
 * <pre>{@code
 * WxMpDefaultConfigImpl config = WxJava.officialAccount(tempmedia, new WxMpDefaultConfigImpl());
 * WxMpService wx = new WxMpServiceImpl();
 * wx.setWxMpConfigStorage(config);
 * }</pre>
 */
public final class WxJava {
  private WxJava() {}

  /**
   * weixin-java-mp: the API, MP and open hosts go to the server; appid and secret default to {@link
   * Tempmedia#OFFICIAL_ACCOUNT_APPID} and {@link Tempmedia#OFFICIAL_ACCOUNT_SECRET}.
   */
  public static WxMpDefaultConfigImpl officialAccount(
      Tempmedia server, WxMpDefaultConfigImpl config) {
    if (config.getAppId() == null) {
      config.setAppId(Tempmedia.OFFICIAL_ACCOUNT_APPID);
      config.setSecret(Tempmedia.OFFICIAL_ACCOUNT_SECRET);
    }
    WxMpHostConfig hosts = new WxMpHostConfig();
    hosts.setApiHost(server.baseUrl());
    hosts.setMpHost(server.baseUrl());
    hosts.setOpenHost(server.baseUrl());
    config.setHostConfig(hosts);
    return config;
  }

  /**
   * weixin-java-miniapp: the API host goes to the server; appid and secret default to {@link
   * Tempmedia#MINI_PROGRAM_APPID} and {@link Tempmedia#MINI_PROGRAM_SECRET}.
   */
  public static WxMaDefaultConfigImpl miniProgram(Tempmedia server, WxMaDefaultConfigImpl config) {
    if (config.getAppid() == null) {
      config.setAppid(Tempmedia.MINI_PROGRAM_APPID);
      config.setSecret(Tempmedia.MINI_PROGRAM_SECRET);
    }
    config.setApiHostUrl(server.baseUrl());
    return config;
  }

  /**
   * weixin-java-cp: the base API URL goes to the server; corp id and secret default to {@link
   * Tempmedia#WECOM_CORPID} and {@link Tempmedia#WECOM_SECRET}, the agent id to 1000002. An empty
   * proxy password is set when none is, since weixin-java-cp's HttpClient 5 service fails on a null
   * one even without a proxy.
   */
  public static WxCpDefaultConfigImpl wecom(Tempmedia server, WxCpDefaultConfigImpl config) {
    if (config.getCorpId() == null) {
      config.setCorpId(Tempmedia.WECOM_CORPID);
      config.setCorpSecret(Tempmedia.WECOM_SECRET);
    }
    if (config.getAgentId() == null) {
      config.setAgentId(1000002);
    }
    if (config.getHttpProxyPassword() == null) {
      config.setHttpProxyPassword("");
    }
    config.setBaseApiUrl(server.baseUrl());
    return config;
  }
}
