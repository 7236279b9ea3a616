package io.brook.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver (never one Selenium Manager would download): a
 * 1280x800 window, the size the console must fit without horizontal scrolling. The flags keep Chromium off
 * the network (this machine has none but loopback) and out of any profile but a fresh one.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;
  final String base;
  private final Path profile;

  Browser(String base) throws IOException {
    this.base = base;
    this.profile = Files.createTempDirectory("brook-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--window-size=1280,800", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    // headless Chromium counts --window-size as the window's outer size; the page gets exactly 1280x800
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", 1280, "height", 800, "deviceScaleFactor", 1, "mobile", false));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
  }

  void open(String path) {
    driver.get(base + path);
  }

  WebDriverWait waiting(Duration atMost) {
    WebDriverWait wait = new WebDriverWait(driver, atMost, Duration.ofMillis(50));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  /** Waits until a visible element matches {@code css}. */
  WebElement await(String css) {
    return waiting(Duration.ofSeconds(20)).until(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  boolean present(String css) {
    return !driver.findElements(By.cssSelector(css)).isEmpty();
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Runs a fetch in the page, as the console would (its cookie, its CSRF token): [status, body]. */
  @SuppressWarnings("unchecked")
  List<Object> fetch(String method, String path, String jsonBody, boolean withCsrf) {
    return (List<Object>) ((JavascriptExecutor) driver).executeAsyncScript(
        "const [method, path, body, csrf, done] = arguments;"
            + "import('/js/api.js').then(api => fetch(path, {method, credentials: 'same-origin', body,"
            + " headers: Object.assign({'content-type': 'application/json'}, csrf && api.session.csrfToken ?"
            + " {'x-brook-csrf': api.session.csrfToken} : {})}))"
            + ".then(async r => done([r.status, await r.text()]), e => done([0, String(e)]));",
        method, path, jsonBody, withCsrf);
  }

  /** The page is wider than the window (it would scroll sideways). */
  boolean scrollsHorizontally() {
    return (Boolean) script("return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
  }

  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.move(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
