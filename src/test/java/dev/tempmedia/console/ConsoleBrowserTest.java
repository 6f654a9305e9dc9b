package dev.tempmedia.console;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.net.URI;
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
 * The web console in a real headless Chromium against a real dev-mode server: what a developer
 * clicks, and what the server then holds.
 */
class ConsoleBrowserTest extends BrowserTestBase {

  @TempDir
  Path data;

  @TempDir
  Path files;

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
      server.close();
    }
  }

  private void open(String view) {
    browser.consoleErrors();
    browser.open(server.url("/_tempmedia/console#" + view), "en");
    browser.until(d -> d.findElement(By.tagName("body")).getAttribute("class").contains("ready"));
  }

  private String base() {
    URI uri = URI.create(server.url("/"));
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  @Test
  void appsShowTheirCredentialsAndSnippetsAndCanBeCreatedAndDeleted() {
    open("apps");
    String oa = browser.textContains(
        "#apps-table tr[data-appid='" + TestServer.OA + "']", TestServer.OA_SECRET);
    assertThat(oa).contains("Official Account", "well-known");
    assertThat(browser.textContains(
            "#apps-table tr[data-appid='" + TestServer.CORP + "']", TestServer.CORP_SECRET))
        .contains("WeCom");
    assertThat(browser.all("#apps-table tr[data-appid] button.danger"))
        .as("only created apps can be deleted")
        .isEmpty();

    String curl = browser.textContains("#snippet-code", "/cgi-bin/token?");
    assertThat(curl)
        .contains(
            "BASE='" + base() + "'",
            "appid=" + TestServer.OA,
            "secret=" + TestServer.OA_SECRET,
            "/cgi-bin/media/upload?access_token=$TOKEN&type=image");
    browser.find(".tabs .tab[data-kind='wxjava']").click();
    assertThat(browser.textContains("#snippet-code", "WxMpHostConfig"))
        .contains(
            "hosts.setApiHost(\"" + base() + "\")", "config.setAppId(\"" + TestServer.OA + "\")");

    new Select(browser.find("#create-product")).selectByValue("wecom");
    browser.find("#create-app button[type=submit]").click();
    String secret = browser.until(d -> {
      String text = d.findElement(By.id("created-secret")).getText();
      return text.isBlank() ? null : text;
    });
    WebElement created =
        browser.until(d -> d.findElements(By.cssSelector("#apps-table tr[data-appid]")).stream()
            .filter(row -> row.getText().contains("created here"))
            .findFirst()
            .orElse(null));
    String corpid = created.getAttribute("data-appid");
    assertThat(corpid).matches("ww[0-9a-f]{16}");
    // the secret shown once works, and the new app is selected with it in its snippet
    assertThat(json(server.get("/cgi-bin/gettoken?corpid=" + corpid + "&corpsecret=" + secret))
            .path("access_token")
            .asText())
        .isNotEmpty();
    assertThat(browser.textContains("#snippet-code", "setCorpSecret"))
        .contains(corpid, secret, "setBaseApiUrl");
    assertThat(
            new Select(browser.find("#app-select")).getFirstSelectedOption().getAttribute("value"))
        .isEqualTo(corpid);
    browser.find(".tabs .tab[data-kind='curl']").click();
    browser.textContains("#snippet-code", "gettoken?corpid=" + corpid);
    browser.screenshot("apps");

    WebElement delete = browser.find("#apps-table tr[data-appid='" + corpid + "'] button.danger");
    delete.click();
    assertThat(delete.getText()).isEqualTo("Click again to delete");
    delete.click();
    browser.until(d -> d.findElements(By.cssSelector("#apps-table tr[data-appid='" + corpid + "']"))
        .isEmpty());
    assertThat(json(server.get("/cgi-bin/gettoken?corpid=" + corpid + "&corpsecret=" + secret))
            .path("errcode")
            .asInt())
        .isNotZero();
  }

  @Test
  void eachAppShowsItsQuotaUseToday() {
    server.close();
    server = TestServer.withConfig(data.resolve("quotas"), """
        quotas:
          /cgi-bin/media/upload: 5
        """);
    String token = server.token("official-account");
    server.upload(token, "image", "a.jpg", MediaSamples.jpeg(8, 8));
    server.upload(token, "image", "b.jpg", MediaSamples.jpeg(8, 8));

    open("apps");
    String oa = browser.textContains(
        "#apps-table tr[data-appid='" + TestServer.OA + "'] td.quota", "of 5 used");
    assertThat(oa).contains("/cgi-bin/media/upload").contains("2 of 5 used, 3 left");
    assertThat(browser.textContains(
            "#apps-table tr[data-appid='" + TestServer.CORP + "'] td.quota", "of 5 used"))
        .contains("0 of 5 used, 5 left");

    browser.find("button[data-lang='zh']").click();
    browser.textContains(
        "#apps-table tr[data-appid='" + TestServer.OA + "'] td.quota", "已用 2 / 5，剩余 3");
  }

  @Test
  void anAppWithoutQuotasSaysSo() {
    open("apps");
    browser.textContains(
        "#apps-table tr[data-appid='" + TestServer.OA + "'] td.quota", "no daily quota");
  }

  @Test
  void filesUploadedThroughThePageShowWithPreviewsPlayersAndCountdowns() throws Exception {
    open("media");
    browser.until(
        d -> new Select(d.findElement(By.id("upload-type"))).getOptions().size() == 4);
    Path photo = Browser.file(files, "mountains.jpg", Pictures.landscape(960, 600, "jpg"));
    byte[] chartBytes = Pictures.chart(480, 320, "png");
    Path chart = Browser.file(files, "weekly-chart.png", chartBytes);
    Path voice = Browser.file(files, "greeting.mp3", MediaSamples.mp3(3, 64));

    String photoId = upload(photo);
    WebElement img = browser.until(d -> {
      WebElement found = d.findElement(By.cssSelector(card(photoId) + " img.preview-image"));
      return browser.loaded(found) ? found : null;
    });
    assertThat(browser.js("return arguments[0].naturalWidth", img)).isEqualTo(960L);
    assertThat(browser.find("#upload-progress").getAttribute("value")).isEqualTo("1");
    String text = browser.find(card(photoId)).getText();
    assertThat(text).contains("mountains.jpg", "image/jpeg");
    assertThat(browser.find(card(photoId) + " .countdown").getText()).startsWith("2d 23:");

    String chartId = upload(chart);
    browser.until(
        d -> browser.loaded(d.findElement(By.cssSelector(card(chartId) + " img.preview-image"))));
    new Select(browser.find("#upload-type")).selectByValue("voice");
    String voiceId = upload(voice);
    WebElement voiceCard = browser.shown(card(voiceId));
    assertThat(voiceCard.getText()).contains("greeting.mp3", "audio/mpeg");
    boolean playable =
        !"".equals(browser.js("return document.createElement('audio').canPlayType('audio/mpeg')"));
    assertThat(voiceCard.findElements(By.tagName("audio"))).hasSize(playable ? 1 : 0);
    assertThat(browser.all(".media-card")).hasSize(3);
    // the page's upload is the app's own: the WeChat API serves the same bytes
    assertThat(server.download(server.token("official-account"), chartId).body())
        .isEqualTo(chartBytes);
    browser.screenshot("media");

    browser.find("button[data-lang='zh']").click();
    assertThat(browser.textContains("#nav a[data-view='media']", "素材")).isEqualTo("素材");
    browser.textContains("#view-media h2", "上传");
    browser.textContains(card(photoId) + " .countdown", "天");
    assertThat(browser.find(card(photoId) + " .badge").getText()).isEqualTo("图片");
    browser.screenshot("media-zh");
    browser.driver.navigate().refresh();
    assertThat(browser.textContains("#nav a[data-view='apps']", "应用"))
        .as("the language is remembered")
        .isEqualTo("应用");

    WebElement purge = browser.shown(card(chartId) + " button.purge");
    purge.click();
    purge.click();
    browser.until(d -> d.findElements(By.cssSelector(card(chartId))).isEmpty());
    assertThat(json(server.get("/_tempmedia/media?appid=" + TestServer.OA)).path("media"))
        .hasSize(2);

    // the download button serves the stored bytes under the uploaded name
    WebElement download = browser.find(card(photoId) + " a.download");
    assertThat(download.getAttribute("download")).isEqualTo("mountains.jpg");
    Object length = browser.driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(b.byteLength))",
        download.getAttribute("href"));
    assertThat(length).isEqualTo((long) java.nio.file.Files.size(photo));

    // a file dropped on the drop zone is uploaded like a picked one: a PNG drawn in the page
    new Select(browser.find("#upload-type")).selectByValue("image");
    browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "const canvas = document.createElement('canvas'); canvas.width = 200; canvas.height = 120;"
        + "const g = canvas.getContext('2d'); g.fillStyle = '#07a35a'; g.fillRect(0, 0, 200, 120);"
        + "canvas.toBlob(blob => {"
        + "  const files = new DataTransfer(); files.items.add(new File([blob], 'dropped.png', {type: 'image/png'}));"
        + "  const zone = document.getElementById('upload-drop');"
        + "  zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: files, bubbles: true, cancelable: true}));"
        + "  zone.dispatchEvent(new DragEvent('drop', {dataTransfer: files, bubbles: true, cancelable: true}));"
        + "  done();"
        + "}, 'image/png');");
    String droppedId = browser.until(d -> d.findElements(By.cssSelector(".media-card")).stream()
        .filter(c -> c.getText().contains("dropped.png"))
        .map(c -> c.getAttribute("data-media-id"))
        .findFirst()
        .orElse(null));
    browser.until(
        d -> browser.loaded(d.findElement(By.cssSelector(card(droppedId) + " img.preview-image"))));
    assertThat(browser.js(
            "return document.querySelector(arguments[0]).naturalWidth", card(droppedId) + " img"))
        .isEqualTo(200L);

    // a video gets a player
    new Select(browser.find("#upload-type")).selectByValue("video");
    String videoId = upload(Browser.file(files, "clip.mp4", MediaSamples.mp4(40_000)));
    assertThat(browser.find(card(videoId) + " video").getAttribute("src")).contains(videoId);
  }

  @Test
  void errorsShowInTheInspectorWithTheirDiagnosis() {
    String oaToken = server.token("official-account");
    String oaMedia = json(server.upload(oaToken, "image", "a.jpg", MediaSamples.jpeg(64, 48)))
        .path("media_id")
        .asText();
    open("media");
    browser.until(
        d -> new Select(d.findElement(By.id("upload-type"))).getOptions().size() == 4);

    // a PNG as a thumb, through the page: refused, with the diagnosis beside the errcode
    new Select(browser.find("#upload-type")).selectByValue("thumb");
    browser
        .find("#upload-file")
        .sendKeys(
            Browser.file(files, "cover.png", Pictures.chart(120, 90, "png")).toString());
    WebElement refused = browser.shown("#upload-result .upload-refused");
    String thumbErrcode = refused.findElement(By.cssSelector(".errcode")).getText();
    assertThat(thumbErrcode).matches("4\\d{4}");
    String diagnosis = browser.until(d -> {
      List<WebElement> found = d.findElements(By.cssSelector("#upload-result .diagnosis"));
      return found.isEmpty() ? null : found.get(0).getText();
    });
    assertThat(diagnosis).isNotBlank();

    // the refusal links to its own line in the inspector
    String rid = refused.findElement(By.cssSelector(".errmsg")).getText().replaceAll(".*rid: ", "");
    refused.findElement(By.cssSelector("a")).click();
    browser.until(d -> d.findElement(By.id("view-requests")).isDisplayed());
    assertThat(browser.find("#filter-rid").getAttribute("value")).isEqualTo(rid);
    browser.until(d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("#requests-table tbody tr"));
      return rows.size() == 2
          && rows.get(0).getAttribute("data-rid").equals(rid)
          && rows.get(1).getText().contains(diagnosis);
    });
    browser.find("#view-requests button[data-i18n='requests.clearFilters']").click();

    // a Mini Program asking for the Official Account's media, by plain HTTP
    JsonNode foreign = json(new String(
        server.download(server.token("mini-program"), oaMedia).body(),
        java.nio.charset.StandardCharsets.UTF_8));
    assertThat(foreign.path("errcode").asInt()).isEqualTo(40007);

    WebElement row = browser.until(
        d -> d.findElements(By.cssSelector("#requests-table tr.diagnosis-row")).stream()
            .filter(r -> r.getText().contains("40007"))
            .findFirst()
            .orElse(null));
    assertThat(row.findElement(By.cssSelector(".diagnosis")).getText()).isNotBlank();
    browser.textContains("#requests-table tr.diagnosis-row", thumbErrcode);
    browser.screenshot("requests");

    browser.find("#filter-errcode").sendKeys("40007");
    browser.until(d -> {
      List<WebElement> rows =
          d.findElements(By.cssSelector("#requests-table tbody tr:not(.diagnosis-row)"));
      return !rows.isEmpty() && rows.stream().allMatch(r -> r.getText().contains("40007"));
    });
    String foreignRid =
        browser.find("#requests-table tbody tr:not(.diagnosis-row) button.rid").getText();
    browser.find("#requests-table tbody tr:not(.diagnosis-row) button.rid").click();
    assertThat(browser.find("#filter-rid").getAttribute("value")).isEqualTo(foreignRid);

    browser.find("button[data-lang='zh']").click();
    browser.textContains("#requests-table thead", "错误码");
    browser.textContains("#view-requests label", "rid");
  }

  @Test
  void movingTheClockTicksTheCountdownsDownAndExpiresMedia() {
    String token = server.token("official-account");
    String mediaId = json(server.upload(token, "image", "clock.jpg", MediaSamples.jpeg(80, 60)))
        .path("media_id")
        .asText();
    open("media");
    assertThat(browser.textContains(card(mediaId) + " .countdown", "2d 23:")).startsWith("2d 23:");

    browser.go("dev");
    browser.find("#clock-advance-p1d").click();
    browser.textContains("#clock-offset", "+1d");
    browser.textContains("#header-clock", "(+1d)");
    browser.go("media");
    browser.textContains(card(mediaId) + " .countdown", "1d 23:");

    browser.go("dev");
    browser.find("#clock-duration").sendKeys("PT47H");
    browser.find("#clock-custom button[type=submit]").click();
    browser.textContains("#clock-offset", "+2d 23h");
    assertThat(json(server.get("/_tempmedia/clock")).path("offsetSeconds").asLong())
        .isEqualTo(71 * 3600);
    browser.go("media");
    browser.textContains(card(mediaId) + " .countdown", "00:5");
    assertThat(browser.find(card(mediaId)).getAttribute("class")).contains("expiring");

    browser.go("dev");
    browser.find("#clock-advance-pt1h").click();
    browser.textContains("#clock-offset", "+3d");
    browser.go("media");
    browser.until(d -> d.findElements(By.cssSelector(card(mediaId))).isEmpty());
    assertThat(browser.shown("#media-empty").getText()).contains("Nothing stored");
    assertThat(json(new String(
                server.download(token, mediaId).body(), java.nio.charset.StandardCharsets.UTF_8))
            .path("errcode")
            .asInt())
        .isNotZero();

    browser.go("dev");
    browser.find("#clock-reset").click();
    browser.until(d -> d.findElement(By.id("clock-offset")).getText().equals("0"));
    assertThat(json(server.get("/_tempmedia/clock")).path("offsetSeconds").asLong())
        .isZero();
  }

  @Test
  void faultsAddedOnThePageFailRequestsUntilCleared() {
    open("dev");
    browser.textContains("#faults-table", "No faults");
    browser.find("#fault-errcode").sendKeys("45009");
    browser.find("#fault-times").sendKeys("1");
    new Select(browser.find("#fault-type")).selectByValue("image");
    browser.find("#fault-form button[type=submit]").click();
    browser.textContains("#faults-table tbody", "/cgi-bin/media/upload");
    JsonNode faults = json(server.get("/_tempmedia/faults")).path("faults");
    assertThat(faults).hasSize(1);
    assertThat(faults.get(0).path("errcode").asInt()).isEqualTo(45009);
    assertThat(faults.get(0).path("type").asText()).isEqualTo("image");

    String token = server.token("official-account");
    assertThat(json(server.upload(token, "image", "a.jpg", MediaSamples.jpeg(8, 8)))
            .path("errcode")
            .asInt())
        .isEqualTo(45009);
    browser.until(d -> d.findElement(By.cssSelector("#faults-table tbody tr td:last-child"))
        .getText()
        .equals("1"));
    browser.screenshot("dev");

    browser.find("#faults-clear").click();
    browser.textContains("#faults-table", "No faults");
    assertThat(json(server.get("/_tempmedia/faults")).path("faults")).isEmpty();
  }

  private String upload(Path file) {
    browser.find("#upload-file").sendKeys(file.toString());
    return browser.until(d -> {
      List<WebElement> ids = d.findElements(By.cssSelector("#upload-media-id"));
      if (ids.isEmpty()
          || !d.findElement(By.id("upload-percent"))
              .getText()
              .startsWith(file.getFileName().toString())) {
        return null;
      }
      String id = ids.get(0).getText();
      return id.length() == 64 && !d.findElements(By.cssSelector(card(id))).isEmpty() ? id : null;
    });
  }

  private static String card(String mediaId) {
    return ".media-card[data-media-id='" + mediaId + "']";
  }
}
