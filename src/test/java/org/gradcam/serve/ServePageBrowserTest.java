package org.gradcam.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.gradcam.TestData;
import org.gradcam.data.Assets;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer page in a real browser: the system's headless Chromium, driven through its
 * chromedriver, uploads a photo, then changes the layer, the threshold and alpha, and sees the
 * overlay and the boxes follow, with no error in the console. Skips without Chromium, except on
 * CI (CI=true), where a missing browser is a failure. {@code -Dgradcam.screenshot=FILE} also
 * saves a screenshot of the page with its result (README's results/serve/page.png);
 * {@code -Dgradcam.chromium=PATH} and {@code -Dgradcam.chromedriver=PATH} name a browser and a
 * driver outside Debian's /usr/bin.
 */
class ServePageBrowserTest {
  static final Path PETS = TestData.path("oxford-iiit-pet-dogs/images");
  static final String INSTALL_HINT =
      "apt-get install -y chromium chromium-driver (Debian packages)";
  static final Duration WAIT = Duration.ofSeconds(30);

  /** Records uncaught errors, rejected promises and console.error before the page's script runs. */
  static final String ERROR_HOOK = """
      window.__errors = [];
      window.addEventListener('error', (e) => window.__errors.push('error: ' + (e.message
          || (e.target && (e.target.src || e.target.href)) || e)), true);
      window.addEventListener('unhandledrejection', (e) => window.__errors.push('rejection: '
          + (e.reason && e.reason.message || e.reason)));
      const consoleError = console.error;
      console.error = (...a) => {
        window.__errors.push('console.error: ' + a.join(' '));
        consoleError(...a);
      };
      """;

  /**
   * The first executable of {@code candidates} (absolute paths, or names looked up on PATH), or
   * the one the system property {@code property} names (for a browser installed elsewhere).
   */
  static Optional<Path> executable(String property, String... candidates) {
    String given = System.getProperty(property, "");
    if (!given.isEmpty()) {
      return Optional.of(Path.of(given)).filter(Files::isExecutable);
    }
    for (String c : candidates) {
      if (Path.of(c).isAbsolute()) {
        if (Files.isExecutable(Path.of(c))) {
          return Optional.of(Path.of(c));
        }
        continue;
      }
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, c))) {
          return Optional.of(Path.of(dir, c));
        }
      }
    }
    return Optional.empty();
  }

  static void requireOrSkip(boolean present, String what) {
    if (!present && "true".equals(System.getenv("CI"))) {
      fail(what + " is not installed but CI=true; install it with: " + INSTALL_HINT);
    }
    String skip =
        what + " is not installed; skipping ServePageBrowserTest. Install: " + INSTALL_HINT;
    if (!present) {
      System.err.println("ServePageBrowserTest: " + skip);
    }
    assumeTrue(present, skip);
  }

  @Test
  void layerThresholdAndAlphaChangeTheOverlayAndTheBoxesWithoutConsoleErrors() throws Exception {
    Optional<Path> browser = executable("gradcam.chromium", "/usr/bin/chromium", "chromium",
        "chromium-browser");
    Optional<Path> driverExe = executable("gradcam.chromedriver", "/usr/bin/chromedriver",
        "chromedriver");
    requireOrSkip(browser.isPresent(), "chromium");
    requireOrSkip(driverExe.isPresent(), "chromedriver (Debian package chromium-driver)");
    Path photo = PETS.resolve("american_bulldog_10.jpg");
    assertThat(photo).as("stand-in image of the data mirror").isRegularFile();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.get().toFile());
    // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-gpu", "--window-size=1400,1300", "--hide-scrollbars");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // The driver found by path: Selenium Manager would try to download one (no internet here).
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driverExe.get().toFile()).usingAnyFreePort().build();

    try (Model model = Models.load("squeezenet1.1", Assets.defaults());
        GradcamServer server = GradcamServer.start(Map.of("squeezenet1.1", model), "squeezenet1.1",
            ServeSettings.defaults(0, PETS))) {
      ChromeDriver driver = new ChromeDriver(service, options);
      try {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
            Map.of("source", ERROR_HOOK));
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        driver.get("http://127.0.0.1:" + server.port() + "/");
        wait.until(d -> text(d.findElement(By.id("status"))).startsWith("ready"));

        Select layer = new Select(driver.findElement(By.id("layer")));
        List<String> layers =
            layer.getOptions().stream().map(o -> o.getAttribute("value")).toList();
        String defaultLayer = layer.getFirstSelectedOption().getAttribute("value");
        assertThat(layers).as("layers offered").hasSizeGreaterThan(1).contains(defaultLayer);
        assertThat(layer.getFirstSelectedOption().getText()).contains("default");

        // Upload: the hidden file input of the drop zone, as "choose a file" does (chromedriver
        // wants a canonical path).
        driver.findElement(By.id("file")).sendKeys(photo.toRealPath().toString());
        Shown first = waitForResult(driver, wait, null);
        assertThat(first.title).contains(defaultLayer).contains("gradcam");
        assertThat(driver.findElements(By.cssSelector("#results .top5 tbody tr"))).hasSize(5);

        // The page shows what the API answers for the kept result.
        JsonNode apiBoxes = new Http(server.port()).get("/api/results/" + first.resultId
            + "/0/boxes?thresholds=0.06").json();
        assertThat(Http.JSON.readTree(first.boxes)).isEqualTo(apiBoxes.get(0).get("boxes"));

        // Another layer: a new graph run, so a new result and another overlay.
        // The one before the default: deep enough for a map a reader recognises in the screenshot.
        int at = layers.indexOf(defaultLayer);
        String other = layers.get(at > 0 ? at - 1 : 1);
        layer.selectByValue(other);
        Shown second = waitForResult(driver, wait, first.resultId);
        assertThat(second.title).contains(other);
        assertThat(second.overlayPixels).as("overlay after the layer change")
            .isNotEqualTo(first.overlayPixels);

        // The threshold slider, moved by keyboard from 0.06 to 0.50: only the boxes are fetched
        // again for the kept result (same result id, same overlay), and they differ.
        WebElement threshold = driver.findElement(By.id("threshold"));
        // sendKeys focuses the slider without clicking it (a click would jump to where it lands).
        double start = Double.parseDouble(threshold.getAttribute("value"));
        int steps = (int) Math.round((0.5 - start) / 0.01);
        assertThat(steps).as("slider steps from %s", start).isPositive();
        threshold.sendKeys(Keys.chord(Collections.nCopies(steps, Keys.ARROW_RIGHT)
            .toArray(new CharSequence[0])));
        wait.until(d -> text(d.findElement(By.id("threshold-out"))).equals("0.50"));
        wait.until(d -> text(d.findElement(By.cssSelector("#results .boxes-caption")))
            .endsWith("at threshold 0.50"));
        String boxesAt50 =
            driver.findElement(By.cssSelector("#results .map")).getAttribute("data-boxes");
        JsonNode api50 = new Http(server.port()).get("/api/results/" + second.resultId
            + "/0/boxes?thresholds=0.5").json();
        assertThat(Http.JSON.readTree(boxesAt50)).isEqualTo(api50.get(0).get("boxes"));
        assertThat(boxesAt50).as("boxes at 0.50 against 0.06").isNotEqualTo(second.boxes);
        assertThat(overlaySrc(driver)).contains("/api/results/" + second.resultId + "/");
        assertThat(overlayPixels(driver)).as("overlay after the threshold change")
            .isEqualTo(second.overlayPixels);
        assertThat(canvasPixels(driver, ".boxes")).as("boxes drawn at 0.50")
            .isNotEqualTo(second.boxesPixels);

        // Alpha re-renders the kept map: same result, other overlay pixels.
        WebElement alpha = driver.findElement(By.id("alpha"));
        alpha.sendKeys(Keys.chord(Collections.nCopies(4, Keys.ARROW_RIGHT)
            .toArray(new CharSequence[0])));
        wait.until(d -> text(d.findElement(By.id("alpha-out"))).equals("0.60"));
        wait.until(d -> overlaySrc(d).contains("alpha=0.6") && overlayLoaded(d));
        assertThat(overlaySrc(driver)).contains("/api/results/" + second.resultId + "/");
        assertThat(overlayPixels(driver)).as("overlay at alpha 0.60")
            .isNotEqualTo(second.overlayPixels);

        assertThat(driver.findElement(By.id("status")).getAttribute("class")).isNotEqualTo("error");
        @SuppressWarnings("unchecked")
        List<Object> hooked = (List<Object>) driver.executeScript("return window.__errors;");
        assertThat(hooked).as("errors caught in the page").isEmpty();
        List<String> severe = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
          if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
            severe.add(e.getLevel() + " " + e.getMessage());
          }
        }
        assertThat(severe).as("browser console warnings and errors").isEmpty();

        String shot = System.getProperty("gradcam.screenshot", "");
        if (!shot.isEmpty()) {
          // A threshold that draws boxes on this photo, for the README's picture.
          threshold.sendKeys(Keys.chord(Collections.nCopies(20, Keys.ARROW_LEFT)
              .toArray(new CharSequence[0])));
          wait.until(d -> text(d.findElement(By.cssSelector("#results .boxes-caption")))
              .endsWith("at threshold 0.30"));
          screenshot(driver, Path.of(shot));
        }
      } finally {
        driver.quit();
      }
    }
  }

  record Shown(String resultId, String title, String boxes, String overlayPixels,
      String boxesPixels) {}

  /** Waits until a result other than {@code previous} is shown with its overlay loaded. */
  static Shown waitForResult(ChromeDriver driver, WebDriverWait wait, String previous) {
    wait.until(d -> {
      String s = text(d.findElement(By.id("status")));
      assertThat(d.findElement(By.id("status")).getAttribute("class")).as("status: " + s)
          .isNotEqualTo("error");
      String id = resultId(overlaySrc(d));
      return s.startsWith("done") && id != null && !id.equals(previous) && overlayLoaded(d);
    });
    String id = resultId(overlaySrc(driver));
    WebElement map = driver.findElement(By.cssSelector("#results .map"));
    return new Shown(id, text(map.findElement(By.cssSelector(".title"))),
        map.getAttribute("data-boxes"),
        overlayPixels(driver), canvasPixels(driver, ".boxes"));
  }

  static String text(WebElement e) {
    return e.getText().trim();
  }

  static String overlaySrc(org.openqa.selenium.WebDriver d) {
    List<WebElement> img = d.findElements(By.cssSelector("#results .map .overlay"));
    return img.isEmpty() ? "" : String.valueOf(img.get(0).getAttribute("src"));
  }

  static String resultId(String src) {
    int at = src.indexOf("/api/results/");
    if (at < 0) {
      return null;
    }
    String rest = src.substring(at + "/api/results/".length());
    return rest.substring(0, rest.indexOf('/'));
  }

  static boolean overlayLoaded(org.openqa.selenium.WebDriver d) {
    return Boolean.TRUE.equals(((ChromeDriver) d).executeScript(
        "const i = document.querySelector('#results .map .overlay');"
            + "return !!i && i.complete && i.naturalWidth > 0;"));
  }

  /** The overlay as the browser decoded it, redrawn to a canvas: a PNG data URL of its pixels. */
  static String overlayPixels(ChromeDriver d) {
    return (String) d.executeScript(
        "const i = document.querySelector('#results .map .overlay');"
            + "const c = document.createElement('canvas');"
            + "c.width = i.naturalWidth; c.height = i.naturalHeight;"
            + "c.getContext('2d').drawImage(i, 0, 0); return c.toDataURL('image/png');");
  }

  static String canvasPixels(ChromeDriver d, String cls) {
    return (String) d.executeScript(
        "return document.querySelector('#results .map " + cls + "').toDataURL('image/png');");
  }

  static void screenshot(ChromeDriver driver, Path out) throws Exception {
    // The whole page in one picture: the window as tall as the document.
    Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight;");
    driver.manage().window().setSize(new Dimension(1400, Math.min(4000, height.intValue() + 100)));
    Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path part = Files.createTempFile(parent, out.getFileName().toString(), ".part");
    Files.copy(png, part, StandardCopyOption.REPLACE_EXISTING);
    Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.err.println("ServePageBrowserTest: screenshot " + out.toAbsolutePath());
  }
}
