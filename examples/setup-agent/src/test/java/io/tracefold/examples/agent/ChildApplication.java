package io.tracefold.examples.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The set-up's application in a child JVM under the OpenTelemetry Java agent, its output in a file
 * under {@code target/setup-logs}; the agent prints its spans there as OTLP JSON. Every wait is
 * bounded; {@link #close()} always ends the process; failures carry the output's tail.
 */
final class ChildApplication implements AutoCloseable {

  private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TAIL_CHARS = 8_000;

  private final Process process;
  private final Thread killer;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<SpanData> spans = new ArrayList<>();
  private long logOffset;
  private int port;

  private ChildApplication(Process process, Path log) {
    this.process = process;
    this.log = log;
    // Should the test JVM itself be ended (a build timeout), the application must not outlive it.
    this.killer = new Thread(process::destroyForcibly, "setup-agent-killer");
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /**
   * Starts the application under the agent and waits until it serves requests.
   *
   * @param name names the log file
   * @param withActuator whether Spring Boot Actuator and {@code opentelemetry-sdk} are on the class path
   */
  static ChildApplication start(String name, boolean withActuator, Duration timeout) throws Exception {
    ChildApplication app = launch(name, withActuator, true);
    try {
      app.port = Integer.parseInt(app.awaitLog(PORT, timeout).group(1));
      app.awaitLog(Pattern.compile("Started AgentSetupApplication"), timeout);
      return app;
    } catch (Throwable e) {
      app.close();
      throw e;
    }
  }

  /**
   * Runs the application without the agent until it exits (bounded by {@code timeout}); returns
   * its output.
   */
  static String runWithoutAgent(String name, Duration timeout) throws Exception {
    try (ChildApplication app = launch(name, false, false)) {
      if (!app.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw app.failure("the application did not exit within " + timeout, null);
      }
      return app.output();
    }
  }

  private static ChildApplication launch(String name, boolean withActuator, boolean withAgent) throws IOException {
    String classpath = property("setup.classes") + java.io.File.pathSeparator + read(property("setup.appClasspath"));
    if (withActuator) {
      classpath += java.io.File.pathSeparator + read(property("setup.actuatorClasspath"));
    }
    Path logs = Paths.get(property("setup.logDirectory"));
    Files.createDirectories(logs);
    Path log = logs.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    if (withAgent) {
      command.add("-javaagent:" + property("setup.agentJar"));
    }
    command.addAll(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", classpath, property("setup.mainClass"),
        "--server.port=0", "--server.address=127.0.0.1"));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(key -> key.startsWith("OTEL_") || key.equals("JAVA_TOOL_OPTIONS"));
    environment.put("OTEL_SERVICE_NAME", "tracefold-setup-agent");
    environment.put("OTEL_TRACES_EXPORTER", "logging-otlp");
    environment.put("OTEL_METRICS_EXPORTER", "none");
    environment.put("OTEL_LOGS_EXPORTER", "none");
    environment.put("OTEL_BSP_SCHEDULE_DELAY", "100");
    // Room for every span of the run: a dropped span would read as a provenance failure.
    environment.put("OTEL_BSP_MAX_QUEUE_SIZE", "65536");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new ChildApplication(builder.start(), log);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(name + " is not set: run this test through Maven (surefire sets it)");
    }
    return value;
  }

  private static String read(String file) throws IOException {
    return Files.readString(Paths.get(file), StandardCharsets.UTF_8).trim();
  }

  /** Sends a POST; fails on any status but 2xx. */
  void post(String path) {
    send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** Returns the integer a GET answers. */
  int getInt(String path) {
    return Integer.parseInt(send(HttpRequest.newBuilder(uri(path)).GET()).trim());
  }

  /** Returns the list of strings a GET answers. */
  List<String> getList(String path) {
    try {
      return JSON.readValue(send(HttpRequest.newBuilder(uri(path)).GET()), new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private String send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw failure(request.build().method() + " " + request.build().uri() + " answered " + response.statusCode()
            + ": " + response.body(), null);
      }
      return response.body();
    } catch (IOException e) {
      throw failure("request failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted", e);
    }
  }

  /** Waits until {@code condition} holds for the integer a GET answers; returns it. */
  int awaitInt(String path, Predicate<Integer> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int value = getInt(path);
    while (!condition.test(value)) {
      if (System.nanoTime() > deadline) {
        throw failure("GET " + path + " still answers " + value + " after " + timeout, null);
      }
      Thread.sleep(100);
      value = getInt(path);
    }
    return value;
  }

  /**
   * Waits until the spans exported so far satisfy {@code condition} (the agent exports in batches,
   * every 100 ms here); returns them.
   */
  List<SpanData> awaitSpans(Predicate<List<SpanData>> condition, String description, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      readNewLines();
      if (condition.test(Collections.unmodifiableList(spans))) {
        return Collections.unmodifiableList(spans);
      }
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw failure("exported spans never showed " + description + " (" + spans.size() + " spans read)", null);
      }
      Thread.sleep(100);
    }
  }

  /** Returns the application's output so far. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private Matcher awaitLog(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher matcher = pattern.matcher(output());
      if (matcher.find()) {
        return matcher;
      }
      if (!process.isAlive()) {
        throw failure("the application exited with " + process.exitValue() + " before logging " + pattern, null);
      }
      if (System.nanoTime() > deadline) {
        throw failure("the application did not log " + pattern + " within " + timeout, null);
      }
      Thread.sleep(100);
    }
  }

  /** Reads the complete lines added to the output since the last call, parsing their spans. */
  private void readNewLines() {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      if (length <= logOffset) {
        return;
      }
      byte[] bytes = new byte[Math.toIntExact(length - logOffset)];
      file.seek(logOffset);
      file.readFully(bytes);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
      String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
      logOffset += end;
      for (String line : text.split("\n")) {
        OtlpJsonSpans.parseLine(line, spans);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns an assertion error naming {@code message} with the tail of the application's output. */
  AssertionError failure(String message, Throwable cause) {
    String output = output();
    String tail = output.length() <= TAIL_CHARS ? output : "..." + output.substring(output.length() - TAIL_CHARS);
    // Lines of OTLP JSON are long and say little to a reader: shorten them.
    tail = tail.replaceAll("(\\{\"resource\"[^\n]{200})[^\n]*", "$1...");
    AssertionError error = new AssertionError(message + "\n--- application output (" + log + ") ---\n" + tail);
    if (cause != null) {
      error.initCause(cause);
    }
    return error;
  }

  /** Ends the application (and waits for it, bounded). */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook ends the process.
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
