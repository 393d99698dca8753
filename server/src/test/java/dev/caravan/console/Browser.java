package dev.caravan.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
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
 * A real headless Chromium driven through chromedriver (Debian's {@code chromium} and {@code chromium-driver};
 * nothing is downloaded). Tests call {@link #require} first, which skips them when no browser is installed.
 * Only loopback addresses are visited.
 */
final class Browser implements AutoCloseable {

    static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    final ChromeDriver driver;
    final String baseUrl;
    private final Path profile;

    private Browser(ChromeDriver driver, String baseUrl, Path profile) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.profile = profile;
    }

    static Optional<Path> find(List<String> candidates) {
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Skips the calling test (JUnit assumption) when chromium or chromedriver is not installed. */
    static void require() {
        Assumptions.assumeTrue(find(BROWSERS).isPresent() && find(DRIVERS).isPresent(),
                "no chromium/chromedriver installed (apt-get install chromium chromium-driver)");
    }

    static Browser start(String baseUrl, int width, int height, String acceptLanguage) {
        if (!baseUrl.startsWith("http://127.0.0.1:") && !baseUrl.startsWith("http://localhost:")) {
            throw new IllegalArgumentException("the browser tests visit loopback addresses only: " + baseUrl);
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("caravan-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(find(BROWSERS).orElseThrow().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--disable-extensions", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--lang=" + acceptLanguage, "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(find(DRIVERS).orElseThrow().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().window().setSize(new Dimension(width, height));
        return new Browser(driver, baseUrl, profile);
    }

    void open(String path) {
        driver.get(baseUrl + path);
    }

    void login(String user, String password) {
        open("/login");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        waitFor(d -> !d.getCurrentUrl().contains("/login"), Duration.ofSeconds(30));
    }

    WebElement el(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    <T> T waitFor(Function<WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(200)).until(condition);
    }

    WebElement waitForElement(String css, Duration timeout) {
        return waitFor(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        }, timeout);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits until charts, editors and BPMN diagrams loaded on demand have rendered, as far as the page has any. */
    void settle() {
        waitFor(d -> Boolean.TRUE.equals(js("return document.readyState === 'complete' && "
                + "Array.from(document.querySelectorAll('[data-chart]')).every(e => e.dataset.rendered && e.querySelector('canvas')) && "
                + "Array.from(document.querySelectorAll('textarea[data-editor]')).every(t => t.nextElementSibling && t.nextElementSibling.classList.contains('CodeMirror')) && "
                + "Array.from(document.querySelectorAll('[data-bpmn-viewer],[data-bpmn-modeler]')).every(e => e.dataset.ready)")),
                Duration.ofSeconds(30));
    }

    /** A screenshot of the whole page at the current width (the window grows to the page's height). */
    Path screenshot(Path file) {
        Dimension before = driver.manage().window().getSize();
        try {
            settle();
            long height = ((Number) js("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")).longValue();
            driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(Math.max(height, before.getHeight()), 6000)));
            Thread.sleep(300);
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return file;
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temporary profile is harmless
            }
        }
    }
}
