package io.tracefold.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} in headless mode, as a person's browser: renders a local page and
 * returns its DOM after scripts ran, or takes a screenshot. Missing Chromium fails the test on CI
 * ({@code CI=true}) and skips it elsewhere.
 */
final class HeadlessChromium {

  private static final Path BINARY = Path.of("/usr/bin/chromium");

  private final Path workDir;

  private HeadlessChromium(Path workDir) {
    this.workDir = workDir;
  }

  /** Returns Chromium working in {@code workDir}, or fails / skips the test when it is absent. */
  static HeadlessChromium require(Path workDir) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      String message = "Chromium is needed to check that the HTML graph renders: install Debian's chromium package"
          + " (apt-get install -y chromium; .ci/run does it)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      assumeTrue(false, message);
    }
    Files.createDirectories(workDir);
    return new HeadlessChromium(workDir);
  }

  /** Returns the DOM of {@code page} after its scripts ran. */
  String dumpDom(Path page) throws IOException, InterruptedException {
    return dumpDom(page.toUri());
  }

  /** Returns the DOM of the page at {@code url} (a file, or served over HTTP) after its scripts ran. */
  String dumpDom(URI url) throws IOException, InterruptedException {
    Path out = workDir.resolve("dom.html");
    run(List.of("--dump-dom", url.toString()), out);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** Saves a 1400×1000 screenshot of {@code page} to {@code png}. */
  void screenshot(Path page, Path png) throws IOException, InterruptedException {
    screenshot(page.toUri(), png);
  }

  /** Saves a 1400×1000 screenshot of the page at {@code url} to {@code png}. */
  void screenshot(URI url, Path png) throws IOException, InterruptedException {
    Files.deleteIfExists(png);
    run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1400,1000", url.toString()),
        workDir.resolve("screenshot.out"));
    assertThat(png).exists();
  }

  private void run(List<String> args, Path stdout) throws IOException, InterruptedException {
    // A fresh profile per run: no state, no first-run work, nothing shared between tests.
    Path profile = Files.createTempDirectory(workDir, "profile-");
    List<String> command = new ArrayList<>(List.of(
        BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile));
    command.addAll(args);
    Path log = workDir.resolve("chromium.log");
    Process process = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("chromium did not finish in 60 s: " + command);
    }
    assertThat(process.exitValue()).as("chromium exit code (log: %s)", log).isZero();
  }
}
