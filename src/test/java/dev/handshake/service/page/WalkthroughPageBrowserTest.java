package dev.handshake.service.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The ladder page in a real browser: a walkthrough started from the form, stepped through all eleven steps with
 * "Next step", its arrows and step labels checked, a message opened by keyboard with its fields tied to its bytes,
 * and no errors in the browser's console. Screenshots go to {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WalkthroughPageBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @LocalServerPort
    int port;
    @TempDir
    Path profile;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void browser() {
        assumeTrue(Files.isExecutable(Browser.CHROMIUM), "/usr/bin/chromium is not installed (apt-get install chromium chromium-driver)");
        browser = Browser.start(profile, 1400, 1000);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    void startWalkthrough(String version, String keyExchange) {
        browser.get("http://localhost:" + port + "/");
        new Select(browser.findElement(By.id("opt-version"))).selectByValue(version);
        new Select(browser.findElement(By.id("opt-kx"))).selectByValue(keyExchange);
        browser.findElement(By.id("start")).click();
        wait.until(d -> d.findElements(By.cssSelector("#ladder > li.step")).size() == 11);
        assertThat(browser.findElement(By.id("session-title")).getText()).startsWith("Walkthrough ");
    }

    /** Presses "Next step" until the walkthrough ends; returns how many presses it took. */
    int stepThrough() {
        int presses = 0;
        for (int expected = 1; expected <= 11; expected++) {
            WebElement next = browser.findElement(By.id("next-step"));
            assertThat(next.isEnabled()).as("Next step before step " + expected).isTrue();
            next.click();
            presses++;
            int revealed = expected;
            wait.until(d -> d.findElements(By.cssSelector("#ladder > li.step.revealed")).size() == revealed
                    && d.findElement(By.id("run-to-end")).isEnabled() == (revealed < 11));
        }
        assertThat(browser.findElement(By.id("next-step")).isEnabled()).isFalse();
        return presses;
    }

    /** The arrows' message types, per step. */
    Map<Integer, List<String>> arrows() {
        Map<Integer, List<String>> byStep = new java.util.TreeMap<>();
        for (WebElement arrow : browser.findElements(By.cssSelector("#ladder .arrow"))) {
            byStep.computeIfAbsent(Integer.parseInt(arrow.getDomAttribute("data-step")), k -> new ArrayList<>())
                    .add(arrow.getDomAttribute("data-type"));
        }
        return byStep;
    }

    List<String> stepLabels() {
        return browser.findElements(By.cssSelector("#ladder > li.step .step-text h3")).stream()
                .map(WebElement::getText).toList();
    }

    WebElement arrow(int step, String type) {
        return browser.findElement(By.cssSelector("#ladder .arrow[data-step='" + step + "'][data-type='" + type + "']"));
    }

    /** Opens a message from the keyboard: focus its arrow, press Enter. */
    void open(int step, String type) {
        WebElement arrow = arrow(step, type);
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block:'center'}); arguments[0].focus();", arrow);
        assertThat(browser.switchTo().activeElement()).isEqualTo(arrow);
        arrow.sendKeys(Keys.ENTER);
        wait.until(d -> d.findElement(By.cssSelector("#detail h3")).getText().equals(type));
    }

    /** Hovers a field row and returns the bytes highlighted in the hex view, as hex. */
    String hoverField(String path) {
        WebElement row = browser.findElement(By.cssSelector("#fields tr[data-span='" + path + "']"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block:'center'});", row);
        new Actions(browser).moveToElement(row).perform();
        assertThat(row.getDomAttribute("class")).contains("hl");
        return browser.findElements(By.cssSelector("#hex .b.hl")).stream().map(WebElement::getText)
                .collect(Collectors.joining());
    }

    String fieldValue(String path) {
        return browser.findElement(By.cssSelector("#fields tr[data-span='" + path + "'] td")).getText();
    }

    /** Hovers byte {@code index} of the hex view; returns the field rows then highlighted. */
    List<String> hoverByte(int index) {
        WebElement b = browser.findElement(By.cssSelector("#hex .b[data-i='" + index + "']"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block:'center'});", b);
        new Actions(browser).moveToElement(b).perform();
        return browser.findElements(By.cssSelector("#fields tr.hl")).stream()
                .map(r -> r.getDomAttribute("data-span")).toList();
    }

    void assertNoConsoleErrors() {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertThat(errors).as("browser console").isEmpty();
    }

    void assertFitsNarrowScreen(String name) throws Exception {
        browser.manage().window().setSize(new Dimension(400, 900));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('step-1').scrollIntoView();");
        Thread.sleep(300);
        Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        screenshot(name + "-narrow");
        assertThat(overflow).as("horizontal overflow at 400 px").isLessThanOrEqualTo(0L);
    }

    Path screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** A tall window holds the whole ladder in one screenshot. */
    void fullHeight() throws Exception {
        Long height = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(1400, (int) Math.min(6000, height + 40)));
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0);");
        Thread.sleep(300);
    }

    String captureDownload() {
        String href = browser.findElement(By.id("capture")).getDomProperty("href");
        return (String) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done(r.status + ' ' + r.headers.get('content-type')
                  + ' ' + new Uint8Array(b).slice(0, 4).join(','))));""", href);
    }

    @Test
    void tls12RsaTheSeedHandshakeStepByStep() throws Exception {
        startWalkthrough("TLSv1.2", "rsa");
        assertThat(stepThrough()).isEqualTo(11);

        Map<Integer, List<String>> arrows = arrows();
        assertThat(arrows.get(1)).containsExactly("client_hello");
        assertThat(arrows.get(2)).containsExactly("server_hello", "certificate", "server_hello_done");
        assertThat(arrows.get(4)).containsExactly("client_key_exchange");
        assertThat(arrows.get(8)).containsExactly("change_cipher_spec", "finished");
        assertThat(arrows.get(9)).containsExactly("change_cipher_spec", "finished");
        assertThat(arrows.get(10)).containsExactly("application_data", "application_data");
        assertThat(arrows).doesNotContainKeys(3, 5, 6, 7, 11);
        List<String> labels = stepLabels();
        assertThat(labels).hasSize(11);
        assertThat(labels.get(0)).startsWith("1\n").contains("The client sends its version, cipher settings and session data");
        assertThat(labels.get(3)).startsWith("4\n").contains("pre-master secret");
        assertThat(labels.get(10)).startsWith("11\n");
        // local actions on their lanes: the client authenticates the server, both derive the master secret and keys
        assertThat(localActions(3)).containsExactly("client authenticates the server ✓");
        assertThat(localActions(6)).contains("server derives master secret", "client derives master secret");
        assertThat(localActions(7)).contains("server derives session keys", "client derives session keys");
        assertThat(browser.findElements(By.cssSelector("#ladder .seed"))).hasSize(11);
        assertThat(browser.findElements(By.cssSelector("#ladder .tls13"))).isEmpty();

        open(1, "client_hello");
        String random = fieldValue("random");
        assertThat(random).matches("[0-9a-f]{64}");
        assertThat(hoverField("random")).isEqualTo(random);
        assertThat(hoverField("legacy_version")).isEqualTo("0303");
        // an extension's bytes: type, length and data, as the table shows its data
        String extension = hoverField("extensions.0");
        String extensionData = fieldValue("extensions.0");
        assertThat(extension.substring(8)).isEqualTo(extensionData.equals("(empty)") ? "" : extensionData);
        assertThat(hoverByte(6)).containsExactly("random");
        assertThat(hoverByte(0)).containsExactly("msg_type");
        // the picture for the README: the ladder's first steps beside ClientHello, its random highlighted in the bytes
        browser.manage().window().setSize(new Dimension(1400, 1250));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('session').scrollIntoView();");
        new Actions(browser).moveToElement(browser.findElement(By.id("session-title"))).perform(); // off the bytes
        ((JavascriptExecutor) browser).executeScript(
                "document.querySelector(\"#fields tr[data-span='random']\").focus({preventScroll: true});");
        Thread.sleep(200);
        assertThat(browser.findElements(By.cssSelector("#hex .b.hl"))).hasSize(32);
        screenshot("walkthrough");

        open(2, "server_hello");
        assertThat(hoverField("random")).isEqualTo(fieldValue("random"));
        assertThat(hoverField("cipher_suite")).hasSize(4);
        String sessionId = fieldValue("session_id");
        int cipherSuiteAt = 4 + 2 + 32 + 1 + (sessionId.equals("(empty)") ? 0 : sessionId.length() / 2);
        assertThat(hoverByte(cipherSuiteAt)).containsExactly("cipher_suite");

        assertThat(captureDownload()).isEqualTo("200 application/vnd.tcpdump.pcap 10,13,13,10");
        assertNoConsoleErrors();
        fullHeight();
        screenshot("walkthrough-tls12");
        assertFitsNarrowScreen("walkthrough-tls12");
        assertNoConsoleErrors();
    }

    @Test
    void tls13MappedOntoTheElevenSteps() throws Exception {
        startWalkthrough("TLSv1.3", "ecdhe");
        assertThat(stepThrough()).isEqualTo(11);

        Map<Integer, List<String>> arrows = arrows();
        assertThat(arrows.get(1)).containsExactly("client_hello");
        assertThat(arrows.get(2)).containsExactly("server_hello", "change_cipher_spec", "encrypted_extensions",
                "certificate", "certificate_verify");
        assertThat(arrows.get(8)).endsWith("finished");
        assertThat(arrows.get(9)).containsExactly("finished");
        assertThat(arrows.get(10)).contains("application_data");
        // the mapping onto the seed's steps is shown for every step
        List<WebElement> mapping = browser.findElements(By.cssSelector("#ladder .tls13"));
        assertThat(mapping).hasSize(11);
        assertThat(mapping.get(3).getText()).contains("shared secret from the key shares replaces it");
        assertThat(localActions(7)).contains("client derives session keys", "server derives session keys");

        open(1, "client_hello");
        assertThat(hoverField("random")).isEqualTo(fieldValue("random"));
        String extensions = hoverField("extensions"); // the 2-byte length and every extension after it
        assertThat(extensions.length() / 2).isEqualTo(2 + Integer.parseInt(extensions.substring(0, 4), 16));
        assertThat(hoverField("extensions.0")).startsWith("00"); // a type below 256 (the client's first extensions)
        open(2, "server_hello");
        assertThat(hoverField("cipher_suite")).isEqualTo("1301");
        assertThat(fieldValue("cipher_suite")).isEqualTo("TLS_AES_128_GCM_SHA256");
        open(2, "certificate");
        assertThat(fieldValue("certificate_request_context")).isEqualTo("(empty)");

        assertNoConsoleErrors();
        fullHeight();
        screenshot("walkthrough-tls13");
        assertFitsNarrowScreen("walkthrough-tls13");
        assertNoConsoleErrors();
    }

    @Test
    void aFaultIsDrawnAsAnAlertAndRunToEndStopsThere() throws Exception {
        browser.get("http://localhost:" + port + "/");
        new Select(browser.findElement(By.id("opt-fault"))).selectByValue("tampered_finished");
        browser.findElement(By.id("start")).click();
        wait.until(d -> d.findElements(By.cssSelector("#ladder > li.step")).size() == 11);
        browser.findElement(By.id("run-to-end")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#ladder .arrow.alert")).isEmpty());
        assertThat(arrow(8, "alert").getDomAttribute("class")).contains("from-server");
        assertThat(browser.findElement(By.cssSelector("#step-8 .outcome")).getText()).isEqualTo("stopped");
        assertThat(browser.findElement(By.id("next-step")).isEnabled()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#ladder > li.step.revealed"))).hasSize(8);
        String id = browser.findElement(By.id("session-title")).getText().replace("Walkthrough ", "");

        // the same session opened by id: drawn again from its transcript, alert included
        browser.get("http://localhost:" + port + "/");
        browser.findElement(By.id("open-id")).sendKeys(id, Keys.ENTER);
        wait.until(d -> !d.findElements(By.cssSelector("#ladder .arrow.alert")).isEmpty());
        assertThat(arrows().get(1)).containsExactly("client_hello");
        assertNoConsoleErrors();
        ((JavascriptExecutor) browser).executeScript("document.getElementById('step-8').scrollIntoView({block:'center'});");
        screenshot("walkthrough-fault");
    }

    List<String> localActions(int step) {
        return browser.findElements(By.cssSelector("#step-" + step + " .local")).stream()
                .map(g -> g.getDomAttribute("data-actor") + " " + g.findElement(By.tagName("text")).getText())
                .toList();
    }
}
