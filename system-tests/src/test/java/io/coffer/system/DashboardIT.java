package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.coffer.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operators' dashboard in a real headless Chromium against the running control plane: two real
 * instances, one of whose guests falls silent while the page is open.
 */
class DashboardIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final Tenant TENANT = new Tenant();
  private static String quiet;
  private static String healthy;
  private static WebDriver browser;

  @BeforeAll
  static void twoInstancesAndABrowser() {
    Suite.start();
    healthy = create("ledger");
    quiet = create("reports");
    TENANT.await(healthy, "ACTIVE", READY);
    TENANT.await(quiet, "ACTIVE", READY);
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1600,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void cleanUp() {
    if (browser != null) {
      browser.quit();
    }
    for (String id : new String[] {healthy, quiet}) {
      if (id != null) {
        TENANT.as().delete(TENANT.path("instances/" + id));
      }
    }
  }

  private static String create(String name) {
    return TENANT.createInstance(name, "postgresql", "15");
  }

  private static WebDriverWait waiting(Duration timeout) {
    WebDriverWait w = new WebDriverWait(browser, timeout);
    w.pollingEvery(Duration.ofMillis(200));
    return w;
  }

  /**
   * The row of an instance as the page shows it now, read in one script call (the page redraws its
   * tables on every poll, so element handles do not outlive a refresh): its class, operating status
   * and heartbeat cells; empty when the row is not there.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, String> row(String id) {
    Object r =
        ((JavascriptExecutor) browser)
            .executeScript(
                "const tr = document.querySelector(\"#instances tr[data-id='\" + arguments[0]"
                    + " + \"']\");"
                    + "if (!tr) return {};"
                    + "return {cls: tr.className,"
                    + " operating: tr.querySelector('td.operating').textContent,"
                    + " heartbeat: tr.querySelector('td.heartbeat').textContent};",
                id);
    return (Map<String, String>) r;
  }

  private static void signIn(String token) {
    WebElement input = browser.findElement(By.id("token"));
    input.clear();
    input.sendKeys(token);
    browser.findElement(By.cssSelector("#token-form button")).click();
  }

  @Test
  void theDashboardShowsBothInstancesAndMarksTheSilentOneWithoutAReload() throws Exception {
    browser.get("http://127.0.0.1:" + Suite.API_PORT + "/dashboard/");

    // no token, no data
    assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("board")).isDisplayed()).isFalse();
    assertThat(browser.findElements(By.cssSelector("#instances tbody tr"))).isEmpty();

    // a tenant's token is refused
    signIn(TENANT.token);
    waiting(Duration.ofSeconds(10))
        .until(d -> d.findElement(By.id("auth-error")).getText().contains("administrators"));
    assertThat(browser.findElement(By.id("board")).isDisplayed()).isFalse();
    assertThat(browser.findElements(By.cssSelector("#instances tbody tr"))).isEmpty();

    signIn(Tokens.admin());
    waiting(Duration.ofSeconds(15)).until(d -> !row(healthy).isEmpty() && !row(quiet).isEmpty());
    Map<String, String> before = row(quiet);
    assertThat(before.get("cls")).doesNotContain("silent");
    assertThat(before.get("operating")).isEqualTo("HEALTHY");
    assertThat(browser.findElement(By.id("processes")).getText())
        .contains("api")
        .contains("taskmanager")
        .contains("conductor");
    assertThat(browser.findElement(By.id("queues")).getText()).contains("coffer.dead-letter");
    String url = browser.getCurrentUrl();

    Suite.killGuest(quiet);

    // the page polls: the row turns silent past the heartbeat expiry, without a reload
    waiting(Suite.HEARTBEAT_EXPIRY.plusSeconds(20))
        .until(d -> row(quiet).getOrDefault("cls", "").contains("silent"));
    Map<String, String> after = row(quiet);
    assertThat(after.get("operating")).isEqualTo("ERROR");
    assertThat(after.get("heartbeat")).contains("silent");
    assertThat(row(healthy).get("cls")).doesNotContain("silent");
    assertThat(browser.getCurrentUrl()).isEqualTo(url);

    // filtered to the tenant's project: exactly its two instances
    browser.findElement(By.id("filter-project")).sendKeys(TENANT.project);
    waiting(Duration.ofSeconds(10))
        .until(d -> d.findElements(By.cssSelector("#instances tbody tr")).size() == 2);
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Path shot = Path.of("target", "dashboard.png");
    Files.write(shot, png);
    assertThat(Files.size(shot)).isGreaterThan(10_000);
  }
}
