package dev.tempmedia.junit;

import static org.assertj.core.api.Assertions.assertThat;

import cn.binarywang.wx.miniapp.api.impl.WxMaServiceHttpClientImpl;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import dev.tempmedia.http.WeChatApi;
import java.time.Duration;
import me.chanjar.weixin.cp.api.impl.WxCpServiceApacheHttpClientImpl;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import me.chanjar.weixin.mp.api.impl.WxMpServiceHttpClientImpl;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WxJava adapter points each product's configuration at the harness's server. */
class WxJavaTest {
  @RegisterExtension
  static final TempmediaExtension tempmedia = TempmediaExtension.perClass();

  @Test
  void anOfficialAccountFetchesItsTokenHere(Tempmedia server) throws Exception {
    WxMpServiceHttpClientImpl wx = new WxMpServiceHttpClientImpl();
    wx.setWxMpConfigStorage(WxJava.officialAccount(server, new WxMpDefaultConfigImpl()));
    assertThat(wx.getAccessToken()).isNotBlank();
    var seen = server.requests().take(Duration.ofSeconds(5));
    assertThat(seen.path()).isEqualTo(WeChatApi.TOKEN);
    assertThat(seen.appid()).isEqualTo(Tempmedia.OFFICIAL_ACCOUNT_APPID);
  }

  @Test
  void aMiniProgramFetchesItsTokenHere(Tempmedia server) throws Exception {
    WxMaServiceHttpClientImpl wx = new WxMaServiceHttpClientImpl();
    wx.setWxMaConfig(WxJava.miniProgram(server, new WxMaDefaultConfigImpl()));
    assertThat(wx.getAccessToken()).isNotBlank();
    assertThat(server.requests().take(Duration.ofSeconds(5)).appid())
        .isEqualTo(Tempmedia.MINI_PROGRAM_APPID);
  }

  @Test
  void aWecomCorpFetchesItsTokenHere(Tempmedia server) throws Exception {
    WxCpServiceApacheHttpClientImpl wx = new WxCpServiceApacheHttpClientImpl();
    WxCpDefaultConfigImpl config = WxJava.wecom(server, new WxCpDefaultConfigImpl());
    assertThat(config.getAgentId()).isEqualTo(1000002);
    wx.setWxCpConfigStorage(config);
    assertThat(wx.getAccessToken()).isNotBlank();
    var seen = server.requests().take(Duration.ofSeconds(5));
    assertThat(seen.path()).isEqualTo(WeChatApi.WECOM_TOKEN);
    assertThat(seen.appid()).isEqualTo(Tempmedia.WECOM_CORPID);
  }

  @Test
  void anAppOfTheConfigurationIsKept(Tempmedia server) {
    WxMpDefaultConfigImpl config = new WxMpDefaultConfigImpl();
    config.setAppId("wx1234567890abcdef");
    config.setSecret("s");
    WxJava.officialAccount(server, config);
    assertThat(config.getAppId()).isEqualTo("wx1234567890abcdef");
    assertThat(config.getHostConfig().getApiHost()).isEqualTo(server.baseUrl());
  }
}
