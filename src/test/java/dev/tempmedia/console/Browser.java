package dev.tempmedia.console;

import dev.tempmedia.testing.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver: both come from the system's
 * packages ({@code .ci/run} installs them), so nothing is downloaded at test time. Without them the
 * browser tests are skipped (failed on CI, see {@link Prerequisites}).
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** {@code -Dconsole.screenshots=docs/img} writes the documentation's screenshots there. */
  static final String SCREENSHOTS = System.getProperty("console.screenshots", "");

  final ChromeDriver driver;
  private final WebDriverWait wait;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(50));
    // the page re-renders what changed: an element found a moment ago may have been replaced
    this.wait.ignoring(StaleElementReferenceException.class);
  }

  static Browser start() {
    Path chromium =
        Prerequisites.require("chromium", "apt-get install chromium chromium-driver", CHROMIUM);
    Path chromedriver =
        Prerequisites.require("chromedriver", "apt-get install chromium-driver", CHROMEDRIVER);
    System.setProperty("webdriver.chrome.driver", chromedriver.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1440,900",
        "--lang=en-US",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--mute-audio");
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    // the page itself 1440 x 900, as a laptop shows it: the window size also counts the window's
    // frame
    long frame = (Long) driver.executeScript("return window.outerHeight - window.innerHeight");
    long sides = (Long) driver.executeScript("return window.outerWidth - window.innerWidth");
    driver
        .manage()
        .window()
        .setSize(new org.openqa.selenium.Dimension(1440 + (int) sides, 900 + (int) frame));
    return new Browser(driver);
  }

  /** Opens the console on a fresh slate: no remembered language, app or token. */
  void open(String url, String lang) {
    driver.get(url);
    js(
        "localStorage.clear(); sessionStorage.clear(); localStorage.setItem('tempmedia.lang', arguments[0]);",
        lang);
    driver.navigate().refresh();
  }

  void go(String view) {
    js("window.location.hash = arguments[0]", view);
    String section = "#view-" + view.replaceAll("\\?.*", "");
    until(d -> find(section).isDisplayed());
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits for an element that is there and shown. */
  WebElement shown(String css) {
    return until(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  /** Waits until the element's text contains the given text, and answers the whole text. */
  String textContains(String css, String part) {
    return until(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      for (WebElement element : found) {
        String text = element.getText();
        if (text.contains(part)) {
          return text;
        }
      }
      return null;
    });
  }

  <T> T until(Function<WebDriver, T> condition) {
    return wait.until(condition);
  }

  /**
   * What the page wrote to the browser's console at level SEVERE since the last call (script errors,
   * content-security-policy refusals, failed loads), less the lines that contain any of {@code expected}.
   */
  List<String> consoleErrors(String... expected) {
    return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
        .map(entry -> entry.getMessage())
        .filter(message -> java.util.Arrays.stream(expected).noneMatch(message::contains))
        .toList();
  }

  /** Whether an image has been fetched and decoded. */
  boolean loaded(WebElement img) {
    return Boolean.TRUE.equals(
        js("return arguments[0].complete && arguments[0].naturalWidth > 0", img));
  }

  /** Writes docs/img/console-NAME.png when -Dconsole.screenshots names a folder; otherwise nothing. */
  void screenshot(String name) {
    if (SCREENSHOTS.isBlank()) {
      return;
    }
    try {
      Path folder = Path.of(SCREENSHOTS);
      Files.createDirectories(folder);
      js("document.activeElement && document.activeElement.blur()");
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(
          shot.toPath(),
          folder.resolve("console-" + name + ".png"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** On a failed test: the page as it was (screenshot and DOM) under target/console-failures/. */
  static TestWatcher keepPageOnFailure(java.util.function.Supplier<Browser> browser) {
    return new TestWatcher() {
      @Override
      public void testFailed(ExtensionContext context, Throwable cause) {
        Browser b = browser.get();
        if (b == null) {
          return;
        }
        try {
          Path folder = Files.createDirectories(Path.of("target", "console-failures"));
          String name = context.getRequiredTestClass().getSimpleName() + "."
              + context.getRequiredTestMethod().getName();
          Files.copy(
              b.driver.getScreenshotAs(OutputType.FILE).toPath(),
              folder.resolve(name + ".png"),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          Files.writeString(folder.resolve(name + ".html"), b.driver.getPageSource());
        } catch (IOException | RuntimeException e) {
          cause.addSuppressed(e);
        }
      }
    };
  }

  static Path file(Path folder, String name, byte[] bytes) {
    try {
      return Files.write(folder.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
