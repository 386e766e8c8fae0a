package com.emaileventhub.support;

import com.emaileventhub.event.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian chromium driven by Debian's chromedriver (both installed by .ci/run), with a fresh
 * profile, no background traffic of its own, a 1280x800 window, and the page's console and network
 * logs kept for the test to read.
 */
public final class Browser implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final Path profile;
    private final ChromeDriver driver;
    private final List<LogEntry> console = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();

    public Browser() {
        try {
            profile = Files.createTempDirectory("chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        // the first tab is the browser's own new-tab page: its chrome:// loads are not the page's
        driver.get("about:blank");
        driver.manage().logs().get(LogType.PERFORMANCE);
        driver.manage().logs().get(LogType.BROWSER);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** The page's viewport in CSS pixels (the window's outer size is larger), for screenshots and layout checks. */
    public void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Console entries so far (errors, warnings, failed loads), oldest first. */
    public List<LogEntry> console() {
        console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        return List.copyOf(console);
    }

    /** Every URL the page asked for so far (documents, scripts, styles, fetches, images), in order. */
    public List<String> requests() {
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            try {
                JsonNode message = Json.MAPPER.readTree(e.getMessage()).path("message");
                if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
                    requests.add(message.at("/params/request/url").asText());
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
