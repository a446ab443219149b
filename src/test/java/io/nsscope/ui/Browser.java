package io.nsscope.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through the system's chromedriver (Debian's {@code chromium} and {@code chromium-driver}),
 * so no browser or driver is downloaded: the tests skip, saying so, where neither is installed. Each browser gets a
 * new empty profile, removed on close. The flags keep it quiet on a closed network and let it run as root.
 */
final class Browser implements AutoCloseable {

    private static final List<String> BROWSERS =
            List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A new headless browser, or the test is skipped when Chromium or chromedriver is missing. */
    static Browser start() {
        Optional<Path> chromium = find("NSSCOPE_CHROMIUM", BROWSERS);
        Optional<Path> chromedriver = find("NSSCOPE_CHROMEDRIVER", DRIVERS);
        assumeTrue(
                chromium.isPresent() && chromedriver.isPresent(),
                "no Chromium and chromedriver installed (Debian: "
                        + "apt-get install chromium chromium-driver; or set NSSCOPE_CHROMIUM and "
                        + "NSSCOPE_CHROMEDRIVER): the page's browser tests are skipped");
        Path profile;
        try {
            profile = Files.createTempDirectory("nsscope-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1400,1500",
                "--lang=en-US",
                "--user-data-dir=" + profile);
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.get().toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return new Browser(driver, profile);
    }

    private static Optional<Path> find(String variable, List<String> candidates) {
        String given = System.getenv(variable);
        Stream<String> paths = given == null || given.isBlank() ? candidates.stream() : Stream.of(given);
        return paths.map(Path::of).filter(Files::isExecutable).findFirst();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
