package dev.tempmedia.console;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.admin.OperatorApi;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Messages view in a real headless Chromium against a dev-mode server: what the apps sent through
 * the send endpoints, as a conversation with its media, kept up to date by the outbox's long poll,
 * and the refused sends beside it.
 */
class ConsoleMessagesBrowserTest extends BrowserTestBase {
  static final String USER = "oUser-console-0001";

  @TempDir
  Path data;

  TestServer server;

  @BeforeEach
  void startServer() {
    server = new TestServer(data);
  }

  /** No script error, refused resource or failed load on the way; read while the server still answers. */
  @AfterEach
  void noConsoleErrorsThenStopServer() {
    try {
      assertThat(browser.consoleErrors()).isEmpty();
    } finally {
      // leave the view first: its long poll ends with the page, not with the server
      browser.driver.get("about:blank");
      server.close();
    }
  }

  private void open(String view) {
    browser.consoleErrors();
    browser.open(server.url("/_tempmedia/console#" + view), "en");
    browser.until(d -> d.findElement(By.tagName("body")).getAttribute("class").contains("ready"));
  }

  private String upload(String token, String type, String name, byte[] bytes) {
    JsonNode answer = json(server.upload(token, type, name, bytes));
    String id =
        answer.path(type.equals("thumb") ? "thumb_media_id" : "media_id").asText();
    assertThat(id).as(answer.toString()).isNotEmpty();
    return id;
  }

  private JsonNode send(String path, String token, String body) {
    return json(server.postJson(path + "?access_token=" + token, body));
  }

  private JsonNode customSend(String token, String body) {
    return send(WeChatApi.MESSAGE_CUSTOM_SEND, token, body);
  }

  /** A customer-service message to {@link #USER}: its msgtype, and the JSON under that name. */
  private JsonNode customSend(String token, String msgtype, String content) {
    return customSend(
        token,
        "{\"touser\":\"" + USER + "\",\"msgtype\":\"" + msgtype + "\",\"" + msgtype + "\":"
            + content + "}");
  }

  private static void accepted(JsonNode answer) {
    assertThat(answer.path("errcode").asInt()).as(answer.toString()).isZero();
  }

  private static String bubble(String msgtype) {
    return "#messages-chat .message[data-msgtype='" + msgtype + "']";
  }

  @Test
  void sentMessagesShowAsAConversationWithTheirMediaLiveAndRefusalsBesideThem() {
    String token = server.token("official-account");
    String imageId = upload(token, "image", "sunrise.jpg", Pictures.landscape(480, 300, "jpg"));
    String voiceId = upload(token, "voice", "hello.amr", MediaSamples.amr(2));
    String videoId = upload(token, "video", "clip.mp4", MediaSamples.mp4(40_000));
    String thumbId = upload(token, "thumb", "cover.jpg", MediaSamples.jpeg(64, 48));
    accepted(customSend(token, "image", "{\"media_id\":\"" + imageId + "\"}"));
    accepted(customSend(token, "voice", "{\"media_id\":\"" + voiceId + "\"}"));
    accepted(customSend(
        token,
        "video",
        "{\"media_id\":\"" + videoId + "\",\"thumb_media_id\":\"" + thumbId
            + "\",\"title\":\"The clip\",\"description\":\"Ten seconds of it\"}"));

    open("messages");
    browser.until(d -> d.findElements(By.cssSelector("#messages-chat .message")).size() == 3);
    List<WebElement> shown = browser.all("#messages-chat .message");
    assertThat(shown.stream().map(m -> m.getAttribute("data-msgtype")))
        .as("oldest at the top, newest at the bottom")
        .containsExactly("image", "voice", "video");
    assertThat(shown.get(0).findElement(By.cssSelector(".message-meta")).getText())
        .contains("to", USER, "image");

    WebElement img = browser.until(d -> {
      WebElement found = d.findElement(By.cssSelector(bubble("image") + " img.message-image"));
      return browser.loaded(found) ? found : null;
    });
    assertThat(browser.js("return arguments[0].naturalWidth", img)).isEqualTo(480L);
    assertThat(img.getAttribute("src")).contains(imageId).contains("appid=" + TestServer.OA);

    WebElement audio = browser.find(bubble("voice") + " audio");
    assertThat(audio.getAttribute("src")).contains(voiceId);
    WebElement video = browser.find(bubble("video") + " video");
    assertThat(video.getAttribute("src")).contains(videoId);
    assertThat(video.getAttribute("poster")).contains(thumbId);
    assertThat(browser.find(bubble("video")).getText()).contains("The clip", "Ten seconds of it");
    browser.textContains("#messages-status", "live");
    assertThat(browser.find("#messages-refusals-empty").isDisplayed()).isTrue();

    // sent while the view is open: it comes without a reload, at the bottom
    browser.js("window.stillTheSamePage = true");
    accepted(customSend(token, """
        {"touser":"%s","msgtype":"text","text":{"content":"Sent while you watch"},
         "customservice":{"kf_account":"helper@kfaccount"}}""".formatted(USER)));
    String text = browser.textContains(bubble("text"), "Sent while you watch");
    assertThat(text).contains("as agent", "helper@kfaccount");
    assertThat(browser.all("#messages-chat .message")).hasSize(4);
    assertThat(browser.js(
            "return document.querySelector('#messages-chat .message:last-child').dataset.msgtype"))
        .isEqualTo("text");
    assertThat(browser.js("return window.stillTheSamePage")).isEqualTo(true);

    // a refused send: beside the conversation with the errcode, errmsg and the diagnosis
    JsonNode refused = customSend(token, "bogus", "{}");
    assertThat(refused.path("errcode").asInt()).isNotZero();
    WebElement refusal = browser.shown("#messages-refusals .refusal");
    assertThat(refusal.findElement(By.cssSelector(".errcode")).getText())
        .isEqualTo(refused.path("errcode").asText());
    assertThat(refusal.findElement(By.cssSelector(".errmsg")).getText())
        .isEqualTo(refused.path("errmsg").asText());
    assertThat(refusal.findElement(By.cssSelector(".diagnosis")).getText()).contains("bogus");
    assertThat(refusal.getText()).contains(WeChatApi.MESSAGE_CUSTOM_SEND);
    assertThat(browser.all("#messages-chat .message"))
        .as("nothing refused is in the outbox")
        .hasSize(4);
    browser.screenshot("messages");

    // waiting is one held call at a time, not a stream of calls
    server.tempmedia().requests().drain();
    sleep(3000);
    assertThat(outboxReads()).isLessThanOrEqualTo(1);

    browser.find("button[data-lang='zh']").click();
    browser.textContains("#nav a[data-view='messages']", "消息");
    browser.textContains("#view-messages h2", "会话");
    browser.textContains("#view-messages .refusals-card h2", "被拒绝的发送");
    browser.textContains(bubble("text"), "客服");
    browser.textContains("#messages-clear", "清空发件箱");
    browser.find("button[data-lang='en']").click();

    // clear: twice, and the outbox is empty
    WebElement clear = browser.find("#messages-clear");
    clear.click();
    assertThat(clear.getText()).startsWith("Click again");
    clear.click();
    browser.until(d -> d.findElements(By.cssSelector("#messages-chat .message")).isEmpty());
    assertThat(browser.shown("#messages-empty").getText()).contains("no message");
    assertThat(json(server.get(OperatorApi.MESSAGES)).path("messages")).isEmpty();
    // and what is sent after the clear comes live as well
    accepted(customSend(token, "text", "{\"content\":\"After the clear\"}"));
    browser.textContains(bubble("text"), "After the clear");
  }

  @Test
  void wecomFilesCardsAndOtherTypesShowWithTheirNamesTitlesAndThumbs() {
    String token = server.token("wecom");
    byte[] report = MediaSamples.random(12_345, 7);
    String fileId = upload(token, "file", "weekly-report.pdf", report);
    String pictureId = upload(token, "image", "card.png", Pictures.chart(240, 160, "png"));
    String kf = "\"touser\":\"wmExternal0001\",\"open_kfid\":\"wkKf0001\"";
    String app = "\"touser\":\"zhangsan\",\"agentid\":1000002";
    for (String[] message : new String[][] {
      {WeChatApi.WECOM_KF_SEND, kf, "file", "{\"media_id\":\"" + fileId + "\"}"},
      {
        WeChatApi.WECOM_KF_SEND,
        kf,
        "link",
        "{\"title\":\"Opening hours\",\"desc\":\"Mon to Fri\",\"url\":\"https://example.com/hours\","
            + "\"thumb_media_id\":\"" + pictureId + "\"}"
      },
      {
        WeChatApi.WECOM_KF_SEND,
        kf,
        "miniprogram",
        "{\"appid\":\"wx1234567890abcdef\",\"title\":\"Book a table\",\"pagepath\":\"pages/book\","
            + "\"thumb_media_id\":\"" + pictureId + "\"}"
      },
      {
        WeChatApi.WECOM_KF_SEND,
        kf,
        "location",
        "{\"name\":\"Head office\",\"address\":\"1 Science Road\",\"latitude\":23.1,\"longitude\":113.3}"
      },
      {WeChatApi.WECOM_MESSAGE_SEND, app, "markdown", "{\"content\":\"**Build** passed\"}"},
      {
        WeChatApi.WECOM_MESSAGE_SEND,
        app,
        "news",
        "{\"articles\":[{\"title\":\"Release notes\",\"description\":\"What is new\","
            + "\"url\":\"https://example.com/notes\",\"picurl\":\"https://example.com/notes.png\"}]}"
      },
      {
        WeChatApi.WECOM_MESSAGE_SEND,
        app,
        "mpnews",
        "{\"articles\":[{\"title\":\"Quarterly letter\",\"thumb_media_id\":\"" + pictureId
            + "\",\"content\":\"<p>Dear all</p>\",\"digest\":\"From the board\"}]}"
      },
    }) {
      JsonNode sent = send(
          message[0],
          token,
          "{" + message[1] + ",\"msgtype\":\"" + message[2] + "\",\"" + message[2] + "\":"
              + message[3] + "}");
      assertThat(sent.path("errcode").asInt()).as(message[2] + " " + sent).isZero();
    }

    open("messages");
    new Select(browser.find("#app-select")).selectByValue(TestServer.CORP);
    String file = browser.textContains(bubble("file"), "weekly-report.pdf");
    assertThat(file).contains("12 KB", "wmExternal0001", "via account", "wkKf0001");
    assertThat(browser.find(bubble("file") + " a.download").getAttribute("download"))
        .isEqualTo("weekly-report.pdf");
    assertThat(browser.textContains(bubble("link"), "Opening hours")).contains("Mon to Fri");
    assertThat(browser.textContains(bubble("miniprogram"), "Book a table"))
        .contains("Mini Program", "pages/book");
    for (String type : new String[] {"link", "miniprogram", "mpnews"}) {
      browser.until(
          d -> browser.loaded(d.findElement(By.cssSelector(bubble(type) + " img.card-thumb"))));
    }
    assertThat(browser.textContains(bubble("markdown"), "**Build** passed")).contains("zhangsan");
    assertThat(browser.textContains(bubble("news"), "Release notes")).contains("What is new");
    assertThat(browser.find(bubble("news") + " a.card-title").getAttribute("href"))
        .isEqualTo("https://example.com/notes");
    assertThat(browser.textContains(bubble("mpnews"), "Quarterly letter"))
        .contains("From the board");
    // a type the view has no picture for: its body as sent
    assertThat(browser.textContains(bubble("location") + " .bubble", "A location message"))
        .contains("\"address\": \"1 Science Road\"");
    assertThat(browser.all("#messages-chat .message")).hasSize(7);
    browser.screenshot("messages-wecom");

    // the official account has sent nothing: its conversation is empty
    new Select(browser.find("#app-select")).selectByValue(TestServer.OA);
    browser.until(d -> d.findElements(By.cssSelector("#messages-chat .message")).isEmpty());
    browser.shown("#messages-empty");

    // leaving the view aborts its long poll: the page's calls to the outbox, watched from here on
    browser.js(
        "window.outboxCalls = [];"
            + "const original = window.fetch;"
            + "window.fetch = (url, init) => {"
            + "  if (String(url).startsWith(arguments[0]))"
            + "    window.outboxCalls.push({url: String(url), signal: init && init.signal});"
            + "  return original(url, init);"
            + "};",
        OperatorApi.MESSAGES);
    browser.find("#messages-refresh").click();
    browser.until(d -> Boolean.TRUE.equals(
        browser.js("return window.outboxCalls.some(c => c.url.includes('wait=PT25S'))")));
    browser.go("apps");
    assertThat(browser.js("return window.outboxCalls.every(c => c.signal.aborted)"))
        .isEqualTo(true);
  }

  /** How many reads of the outbox the server has answered since the requests were last drained. */
  private long outboxReads() {
    return server.tempmedia().requests().drain().stream()
        .filter(r -> r.path().equals(OperatorApi.MESSAGES))
        .count();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
