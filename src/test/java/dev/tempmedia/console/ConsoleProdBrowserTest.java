package dev.tempmedia.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The console against a prod-mode server: it asks for the admin token and sends it with every call. */
class ConsoleProdBrowserTest extends BrowserTestBase {
  static final String ADMIN_TOKEN = "console-test-admin-token-7f3a9c";
  static final String APPID = "wx00000000000000aa";
  static final String SECRET = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path data;

  @TempDir
  Path files;

  TestServer server;

  @BeforeEach
  void startServer() {
    server = TestServer.withConfig(data, """
        mode: prod
        admin: { token: "%s" }
        apps:
          - { product: official-account, appid: %s, secret: %s }
        """.formatted(ADMIN_TOKEN, APPID, SECRET));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void thePageIsOpenButEveryCallNeedsTheTokenWhichThePageAsksForOnce() {
    assertThat(server.get("/_tempmedia/console").statusCode()).isEqualTo(200);
    assertThat(server.get("/_tempmedia/apps").statusCode()).isEqualTo(401);

    browser.open(server.url("/_tempmedia/console#media"), "en");
    WebElement dialog = browser.shown("#token-dialog");
    assertThat(browser.find("#token-refused").isDisplayed()).isFalse();
    browser.find("#token-input").sendKeys("not-the-token");
    browser.find("#token-submit").click();
    browser.shown("#token-refused");
    browser.find("#token-input").sendKeys(ADMIN_TOKEN);
    browser.find("#token-submit").click();
    browser.until(d -> !dialog.isDisplayed());
    browser.until(d -> d.findElement(By.tagName("body")).getAttribute("class").contains("ready"));

    assertThat(browser.js("return sessionStorage.getItem('tempmedia.adminToken')"))
        .isEqualTo(ADMIN_TOKEN);
    assertThat(browser.js("return localStorage.getItem('tempmedia.adminToken')"))
        .isNull();
    assertThat(browser.find("#mode-badge").getText()).isEqualTo("prod");
    assertThat(browser.find("#nav a[data-view='dev']").isDisplayed())
        .as("no clock or faults in prod")
        .isFalse();
    assertThat(browser.find("#nav a[data-view='messages']").isDisplayed())
        .as("no outbox in prod")
        .isFalse();
    assertThat(browser.js("return document.getElementById('view-messages').childElementCount"))
        .as("nor its view")
        .isEqualTo(0L);
    assertThat(browser.find("#sign-out").isDisplayed()).isTrue();

    // an upload through the page, and its preview fetched with the token (a blob: URL)
    Path photo = Browser.file(files, "prod.jpg", Pictures.landscape(320, 200, "jpg"));
    browser.find("#upload-file").sendKeys(photo.toString());
    String mediaId = browser.until(d -> {
      List<WebElement> ids = d.findElements(By.id("upload-media-id"));
      return ids.isEmpty() || ids.get(0).getText().length() != 64
          ? null
          : ids.get(0).getText();
    });
    WebElement img = browser.until(d -> {
      List<WebElement> found =
          d.findElements(By.cssSelector(".media-card[data-media-id='" + mediaId + "'] img"));
      return !found.isEmpty() && browser.loaded(found.get(0)) ? found.get(0) : null;
    });
    assertThat(img.getAttribute("src")).startsWith("blob:");

    // the outbox's address leads to the apps instead
    browser.js("window.location.hash = 'messages'");
    browser.until(d -> d.findElement(By.id("view-apps")).isDisplayed());
    assertThat(browser.find("#view-messages").isDisplayed()).isFalse();
    String row =
        browser.textContains("#apps-table tr[data-appid='" + APPID + "']", "configuration");
    assertThat(row).contains("not shown").doesNotContain(SECRET);
    browser.go("requests");
    browser.textContains("#requests-table tbody", "/_tempmedia/media");

    // a reload keeps the token for this tab: no second prompt
    browser.driver.navigate().refresh();
    browser.until(d -> d.findElement(By.tagName("body")).getAttribute("class").contains("ready"));
    assertThat(browser.find("#token-dialog").isDisplayed()).isFalse();
    browser.go("apps");
    browser.textContains("#apps-table", APPID);

    // the 401s that made the page ask for the token are the only failed loads
    assertThat(browser.consoleErrors("401 (Unauthorized)")).isEmpty();

    HttpRequest withToken = HttpRequest.newBuilder(
            URI.create(server.url("/_tempmedia/media?appid=" + APPID)))
        .header("Authorization", "Bearer " + ADMIN_TOKEN)
        .GET()
        .build();
    assertThat(server.send(withToken).body()).contains(mediaId);
  }
}
