package org.gradcam.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gradcam.serve.ServePageBrowserTest.executable;
import static org.gradcam.serve.ServePageBrowserTest.requireOrSkip;
import static org.gradcam.serve.ServePageBrowserTest.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
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
 * The page's gallery in headless Chromium (set up as {@link ServePageBrowserTest}): a class of
 * the labelled pets sampled with a typed seed shows the server's sample for that seed, each
 * image explained; "New sample" shows a new seed and other images; a method change explains
 * them again; a card opens in the single view; no console error. {@code
 * -Dgradcam.galleryScreenshot=FILE} saves the page (results/serve/gallery.png).
 */
class ServeGalleryBrowserTest {
  static final Path PETS3 = TestData.path("oxford-iiit-pet-3class/test");
  static final String DATASET = "oxford-iiit-pet-3class-test";

  record Gallery(long seed, String title, List<String> ids, List<String> overlays,
      List<String> captions) {}

  @Test
  void galleryShowsTheSeedsSampleExplainedAndNewSampleChangesSeedAndImages() throws Exception {
    Optional<Path> browser = executable("gradcam.chromium", "/usr/bin/chromium", "chromium",
        "chromium-browser");
    Optional<Path> driverExe = executable("gradcam.chromedriver", "/usr/bin/chromedriver",
        "chromedriver");
    requireOrSkip(browser.isPresent(), "chromium");
    requireOrSkip(driverExe.isPresent(), "chromedriver (Debian package chromium-driver)");
    assertThat(PETS3).as("labelled pets of the data mirror").isDirectory();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.get().toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-gpu", "--window-size=1400,1300", "--hide-scrollbars");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driverExe.get().toFile()).usingAnyFreePort().build();

    try (Model model = Models.load("squeezenet1.1", Assets.defaults());
        GradcamServer server = GradcamServer.start(Map.of("squeezenet1.1", model), "squeezenet1.1",
            ServeSettings.defaults(0, ServePageBrowserTest.PETS),
            List.of(ImageFolder.parse(PETS3.toString())))) {
      Http http = new Http(server.port());
      ChromeDriver driver = new ChromeDriver(service, options);
      try {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
            Map.of("source", ServePageBrowserTest.ERROR_HOOK));
        WebDriverWait wait = new WebDriverWait(driver, ServePageBrowserTest.WAIT);
        driver.get("http://127.0.0.1:" + server.port() + "/");
        wait.until(d -> text(d.findElement(By.id("status"))).startsWith("ready"));
        assertThat(driver.findElement(By.id("gallery")).isDisplayed()).isFalse();
        assertThat(new Select(driver.findElement(By.id("gallery-dataset"))).getOptions())
            .extracting(o -> o.getAttribute("value")).containsExactly(DATASET);
        Select cls = new Select(driver.findElement(By.id("gallery-class")));
        assertThat(cls.getOptions()).extracting(o -> o.getAttribute("value"))
            .containsExactly("Abyssinian", "Bengal", "american_bulldog");

        // A typed seed and a class, then Show: the server's sample for that seed, explained.
        WebElement seed = driver.findElement(By.id("gallery-seed"));
        // Typed over the shown seed, as a user does (select all, type).
        seed.sendKeys(Keys.chord(Keys.CONTROL, "a"), "42");
        assertThat(seed.getAttribute("value")).isEqualTo("42");
        cls.selectByValue("Bengal");
        driver.findElement(By.id("gallery-show")).click();
        Gallery first = waitForGallery(driver, wait, 42, null);
        assertThat(first.title()).contains("Bengal").contains("6 images").contains("seed 42");
        assertThat(first.ids()).isEqualTo(sampleIds(http, "Bengal", 6, 42));
        assertThat(first.overlays()).allMatch(s -> s.contains("/overlay.png"));
        // Each card is its image explained with the page's settings (Grad-CAM, top-1).
        JsonNode alone = http.post("/api/explain", new Http.Form().field("dataset", DATASET)
            .field("dataset_image", first.ids().get(0))).json().get("maps").get(0);
        assertThat(first.captions().get(0)).contains(alone.get("top5").get(0).get("name")
            .asText());

        // New sample: another seed, shown, and other images.
        driver.findElement(By.id("gallery-new")).click();
        Gallery second = waitForGallery(driver, wait, -1, first);
        assertThat(second.seed()).isNotEqualTo(42);
        assertThat(seed.getAttribute("value")).isEqualTo(Long.toString(second.seed()));
        assertThat(second.title()).contains("seed " + second.seed());
        assertThat(second.ids()).hasSize(6).isNotEqualTo(first.ids())
            .isEqualTo(sampleIds(http, "Bengal", 6, second.seed()));

        // Another method: the same images explained again (new results, other overlays).
        new Select(driver.findElement(By.id("method"))).selectByValue("layercam");
        wait.until(d -> cardTitles(d).stream().allMatch(t -> t.contains("layercam"))
            && galleryLoaded(d, 6));
        Gallery third = gallery(driver);
        assertThat(third.ids()).isEqualTo(second.ids());
        assertThat(third.overlays()).doesNotContainAnyElementsOf(second.overlays());

        // A card opens in the single view.
        driver.findElements(By.cssSelector("#gallery-grid .card")).get(1).click();
        ServePageBrowserTest.Shown shown = ServePageBrowserTest.waitForResult(driver, wait, null);
        assertThat(shown.title()).contains("layercam");
        assertThat(driver.findElements(By.cssSelector("#results .top5 tbody tr"))).hasSize(5);
        assertThat(driver.findElements(By.cssSelector("#gallery-grid .card.chosen")))
            .hasSize(1);

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

        String shot = System.getProperty("gradcam.galleryScreenshot", "");
        if (!shot.isEmpty()) {
          ServePageBrowserTest.screenshot(driver, Path.of(shot));
        }
      } finally {
        driver.quit();
      }
    }
  }

  static List<String> sampleIds(Http http, String cls, int n, long seed) throws Exception {
    JsonNode s = http.get("/api/datasets/" + DATASET + "/sample?class=" + cls + "&n=" + n
        + "&seed=" + seed).json();
    List<String> ids = new ArrayList<>();
    s.get("images").forEach(i -> ids.add(i.get("id").asText()));
    return ids;
  }

  /**
   * Waits until the gallery shows a finished sample (every card explained and its overlay
   * loaded) of {@code seed} (any seed when negative) that is not {@code previous}.
   */
  static Gallery waitForGallery(ChromeDriver driver, WebDriverWait wait, long seed,
      Gallery previous) {
    // On a timeout, say what the page showed.
    wait.withMessage(() -> "gallery state: status '" + text(driver.findElement(By.id("status")))
        + "', explained " + driver.findElement(By.id("gallery-grid")).getAttribute(
            "data-explained") + ", " + gallery(driver) + ", images " + driver.executeScript(
                "return [...document.querySelectorAll('#gallery-grid .card-overlay')].map(i =>"
                    + " i.complete + '/' + i.naturalWidth).join(' ');") + ", errors "
        + driver.executeScript("return window.__errors;")).until(d -> {
      WebElement status = d.findElement(By.id("status"));
      assertThat(status.getAttribute("class")).as("status: " + text(status)).isNotEqualTo("error");
      if (!text(status).contains("explained") || !d.findElement(By.id("gallery")).isDisplayed()) {
        return false;
      }
      Gallery g = gallery(d);
      return (seed < 0 || g.seed() == seed) && (previous == null || g.seed() != previous.seed())
          && galleryLoaded(d, g.ids().size()) && !g.ids().isEmpty();
    });
    return gallery(driver);
  }

  static Gallery gallery(WebDriver d) {
    List<String> ids = new ArrayList<>();
    List<String> overlays = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (WebElement card : d.findElements(By.cssSelector("#gallery-grid .card"))) {
      ids.add(card.getAttribute("data-id"));
      overlays.add(card.findElement(By.cssSelector(".card-overlay")).getAttribute("src"));
      captions.add(text(card.findElement(By.cssSelector(".card-caption"))));
    }
    String seedText = d.findElement(By.id("gallery-seed")).getAttribute("value");
    return new Gallery(Long.parseLong(seedText), text(d.findElement(By.id("gallery-title"))),
        ids, overlays, captions);
  }

  static List<String> cardTitles(WebDriver d) {
    List<String> out = new ArrayList<>();
    for (WebElement card : d.findElements(By.cssSelector("#gallery-grid .card"))) {
      out.add(String.valueOf(card.getAttribute("title")));
    }
    return out;
  }

  /** Every card shows a loaded overlay of a result (not the bare photo). */
  static boolean galleryLoaded(WebDriver d, int n) {
    return Boolean.TRUE.equals(((ChromeDriver) d).executeScript(
        "const imgs = [...document.querySelectorAll('#gallery-grid .card-overlay')];"
            + "return imgs.length === arguments[0] && document.getElementById('gallery-grid')"
            + ".dataset.explained === String(arguments[0]) && imgs.every(i => i.complete"
            + " && i.naturalWidth > 0 && i.src.includes('/api/results/'));", n));
  }
}
