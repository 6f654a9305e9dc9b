package dev.tempmedia.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/** One headless Chromium per test class, and the page kept on disk when a test fails. */
abstract class BrowserTestBase {
  static Browser browser;

  @RegisterExtension
  final TestWatcher keepPage = Browser.keepPageOnFailure(() -> browser);

  @BeforeAll
  static void startBrowser() {
    browser = Browser.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }
}
