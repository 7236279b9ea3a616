package io.brook.console;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** A failed test leaves the page it saw in target/screenshots/FAILED-{class}-{method}.png, for CI's logs. */
final class ScreenshotOnFailure implements TestWatcher {
  private final Supplier<Browser> browser;

  ScreenshotOnFailure(Supplier<Browser> browser) {
    this.browser = browser;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Browser current = browser.get();
    if (current == null) {
      return;
    }
    try {
      current.screenshot("FAILED-" + context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
      System.err.println("Page at failure: " + current.driver.getCurrentUrl() + "\n" + current.script("return document.body.innerText"));
    } catch (RuntimeException e) {
      System.err.println("No screenshot of the failure: " + e);
    }
  }
}
