package example.wxjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempmedia.inspector.RequestRecord;
import dev.tempmedia.junit.FaultRule;
import dev.tempmedia.junit.Tempmedia;
import dev.tempmedia.junit.TempmediaExtension;
import dev.tempmedia.junit.WxJava;
import dev.tempmedia.outbox.SentMessage;
import java.io.File;
import java.time.Duration;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.bean.kefu.WxMpKefuMessage;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WxJava against tempmedia in this JVM: expiry, a retried system error, a sent picture. */
class MediaTest {
  // One server for the class; between tests its clock is reset, its fault rules cleared and its
  // queues of requests and messages emptied.
  @RegisterExtension
  static final TempmediaExtension tempmedia = TempmediaExtension.perClass();

  static final File PHOTO = new File("src/test/resources/photo.jpg");
  static final String UPLOAD = "/cgi-bin/media/upload";

  WxMpService wx;

  @BeforeEach
  void pointWxJavaAtTempmedia(Tempmedia server) {
    wx = new WxMpServiceImpl();
    // the development Official Account, and every WeChat host replaced by the server's base URL
    wx.setWxMpConfigStorage(WxJava.officialAccount(server, new WxMpDefaultConfigImpl()));
    wx.setRetrySleepMillis(50); // WxJava waits 1 s before its first retry by default
  }

  @Test
  void aMediaIdExpiresThreeDaysAfterItsUpload(Tempmedia server) throws Exception {
    String mediaId = wx.getMaterialService().mediaUpload("image", PHOTO).getMediaId();

    server.clock().advance(Duration.ofHours(73));

    // the cached token has expired too: WxJava meets 42001, fetches a new one, then gets 40007
    WxErrorException e =
        assertThrows(WxErrorException.class, () -> wx.getMaterialService().mediaDownload(mediaId));
    assertEquals(40007, e.getError().getErrorCode());
  }

  @Test
  void anUploadSurvivesOneSystemError(Tempmedia server) throws Exception {
    server.faults().add(FaultRule.on(UPLOAD).errcode(-1).times(1));

    String mediaId = wx.getMaterialService().mediaUpload("image", PHOTO).getMediaId();

    // WxJava retried: the inspector's records show the -1, then the upload that succeeded
    RequestRecord failed =
        server.requests().take(Duration.ofSeconds(5), r -> r.path().equals(UPLOAD));
    assertEquals(-1, failed.errcode());
    assertTrue(failed.diagnosis().startsWith("injected by fault rule"), failed.diagnosis());
    RequestRecord retried = server.requests().take(Duration.ofSeconds(5));
    assertEquals(UPLOAD, retried.path());
    assertEquals(0, retried.errcode());
    assertNull(retried.diagnosis());
    assertEquals(64, mediaId.length());
  }

  @Test
  void theCustomerServiceMessageCarriesTheUploadedPicture(Tempmedia server) throws Exception {
    String mediaId = wx.getMaterialService().mediaUpload("image", PHOTO).getMediaId();

    wx.getKefuService()
        .sendKefuMessage(
            WxMpKefuMessage.IMAGE().toUser("oUser").mediaId(mediaId).build());

    SentMessage sent = server.messages().take(Duration.ofSeconds(5));
    assertEquals("oUser", sent.to());
    assertEquals("image", sent.msgtype());
    assertEquals("image.media_id", sent.media().get(0).field());
    assertEquals(mediaId, sent.media().get(0).mediaId());
    assertEquals("image/jpeg", sent.media().get(0).contentType());
  }
}
