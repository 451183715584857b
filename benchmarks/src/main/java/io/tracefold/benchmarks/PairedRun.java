package io.tracefold.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Paired ratios for a noisy machine: runs JMH benchmark methods each in a JVM of its own (so no
 * method's types pollute another's JIT profiles), all started together, and lets exactly one of
 * them run at a time, in slices of a few milliseconds taken in turn (in a new random order every
 * cycle). A slow phase of the machine, which here lasts from a quarter of a second to seconds,
 * hits every side alike, so the ratios of their times per operation are steady even when the
 * absolute times are not. The spread is the range of the ratio over ten consecutive blocks of the
 * measurement; an A/A pair (two JVMs running the same method) shows the noise floor.
 *
 * <pre>
 * java -cp benchmarks.jar io.tracefold.benchmarks.PairedRun \
 *     axon.RehydrationBenchmark plainAxon,peer,tracefold,tracefoldAA n=10 [out.jsonl]
 * </pre>
 *
 * <p>A side written {@code method@path/to/benchmarks.jar} runs that method from another build, so
 * two versions of the code can be compared the same way. Methods are called on their {@code @State} objects the way JMH would (params set, trial setup
 * once, iteration setup every {@value #SLICES_PER_ITERATION} slices of that method); their results
 * are folded into a value printed at the end, so no call is dead code. Environment: {@code
 * PAIRED_WARMUP_S} (default 20), {@code PAIRED_MEASURE_S} (60), {@code PAIRED_SLICE_MS} (20), {@code
 * PAIRED_FORKS} (1): JVMs per side, all in the same rotation; JVMs of one side compile the code
 * differently (at 10,000 events, JVMs of the same side measured up to 8% apart), so a ratio of
 * a few percent needs several. Each fork's bytes allocated per operation (its measuring thread's,
 * exact) are printed and recorded beside its time ({@code forkBytesPerOp}): a fork that allocates
 * more than its siblings compiled the code differently (e.g. without scalar replacement).
 * Not a JMH benchmark and not part of the library.
 */
public final class PairedRun {

  /** Slices of one method between two calls of its {@code @Setup(Level.Iteration)} methods. */
  static final int SLICES_PER_ITERATION = 20;

  private static final int BLOCKS = 10;

  private PairedRun() {}

  /**
   * Coordinates a paired run ({@code <class> <methods> [params] [out]}) or, with {@code worker}
   * first, runs one side of it.
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("worker")) {
      worker(args[1], args[2], args.length > 3 ? args[3] : "");
    } else if (args.length >= 2) {
      coordinate(args[0], args[1].split(","), args.length > 2 ? args[2] : "", args.length > 3 ? args[3] : null);
    } else {
      System.err.println("usage: PairedRun <class under io.tracefold.benchmarks> <m1,m2,...> [k=v,...] [out.jsonl]");
      System.exit(2);
    }
  }

  private static long longSetting(String name, long fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
  }

  private static void coordinate(String benchmark, String[] methods, String params, String out) throws Exception {
    long warmupNanos = longSetting("PAIRED_WARMUP_S", 20) * 1_000_000_000L;
    long measureNanos = longSetting("PAIRED_MEASURE_S", 60) * 1_000_000_000L;
    long sliceMillis = longSetting("PAIRED_SLICE_MS", 20);
    int forks = (int) longSetting("PAIRED_FORKS", 1);
    if (forks < 1) {
      throw new IllegalArgumentException("PAIRED_FORKS must be at least 1, was " + forks);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Side> sides = new ArrayList<>();
    for (int fork = 0; fork < forks; fork++) {
      for (String side : methods) {
        // "method@jar": that method from another build of the benchmarks (an A/B of two versions).
        int at = side.indexOf('@');
        String method = at < 0 ? side : side.substring(0, at);
        String classPath = at < 0 ? System.getProperty("java.class.path") : side.substring(at + 1);
        ProcessBuilder builder = new ProcessBuilder(java, "-Xms1g", "-Xmx1g", "-cp", classPath,
            PairedRun.class.getName(), "worker", benchmark, method, params);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        sides.add(new Side(side, builder.start()));
      }
    }
    try {
      for (Side side : sides) {
        side.expect("ready");
      }
      Random random = new Random(42);
      long measured = 0;
      boolean measuring = false;
      long start = System.nanoTime();
      List<Side> order = new ArrayList<>(sides);
      while (true) {
        long now = System.nanoTime() - start;
        if (!measuring && now >= warmupNanos) {
          measuring = true;
          measured = now;
        }
        if (measuring && now - measured >= measureNanos) {
          break;
        }
        Collections.shuffle(order, random);
        int block = measuring ? (int) Math.min(BLOCKS - 1, (now - measured) * BLOCKS / measureNanos) : -1;
        for (Side side : order) {
          side.slice(sliceMillis, block);
        }
      }
      for (Side side : sides) {
        side.quit();
      }
      report(benchmark, params, sides, out, sliceMillis, warmupNanos / 1_000_000_000L,
          measureNanos / 1_000_000_000L);
    } finally {
      for (Side side : sides) {
        side.process.destroy();
      }
    }
  }

  /**
   * Prints and appends one record per side. With several forks per side, a side's time per
   * operation is the mean over its forks of each fork's own time per operation (each JVM compiles
   * the code its own way: its JIT decisions weigh as one sample, whatever its throughput), and the
   * record lists the forks' times ({@code forkNsPerOp}) to show how far JVMs of one side disagree.
   */
  private static void report(String benchmark, String params, List<Side> sides, String out, long sliceMillis,
      long warmupS, long measureS) throws IOException {
    System.out.printf(Locale.ROOT, "%s %s%n", benchmark, params);
    Map<String, List<Side>> groups = new LinkedHashMap<>();
    for (Side side : sides) {
      groups.computeIfAbsent(side.method, k -> new ArrayList<>()).add(side);
    }
    List<Side> comparator = groups.values().iterator().next();
    String comparatorName = comparator.get(0).method;
    StringBuilder json = new StringBuilder();
    for (Map.Entry<String, List<Side>> group : groups.entrySet()) {
      List<Side> forks = group.getValue();
      double perOp = meanNanosPerOp(forks, -1);
      double[] ratios = new double[BLOCKS];
      double[] blockNanos = new double[BLOCKS];
      for (int b = 0; b < BLOCKS; b++) {
        blockNanos[b] = meanNanosPerOp(forks, b);
        ratios[b] = blockNanos[b] / meanNanosPerOp(comparator, b);
      }
      Arrays.sort(ratios);
      double comparatorPerOp = meanNanosPerOp(comparator, -1);
      double ratio = perOp / comparatorPerOp;
      long ops = forks.stream().mapToLong(side -> side.ops(-1)).sum();
      StringBuilder forkNanos = new StringBuilder();
      StringBuilder forkBytes = new StringBuilder();
      double low = Double.MAX_VALUE;
      double high = 0;
      for (Side fork : forks) {
        double nanos = fork.nanosPerOp(-1);
        low = Math.min(low, nanos / comparatorPerOp);
        high = Math.max(high, nanos / comparatorPerOp);
        forkNanos.append(forkNanos.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.2f", nanos));
        forkBytes.append(forkBytes.length() == 0 ? "" : ",")
            .append(String.format(Locale.ROOT, "%.1f", fork.bytesPerOp()));
      }
      System.out.printf(Locale.ROOT, "  %-14s %12.3f us/op  %9d ops  ratio to %s %.3f (blocks %.3f-%.3f%s)%n",
          group.getKey(), perOp / 1000, ops, comparatorName, ratio, ratios[0], ratios[BLOCKS - 1],
          forks.size() > 1 ? String.format(Locale.ROOT, "; %d forks %.3f-%.3f", forks.size(), low, high) : "");
      System.out.printf(Locale.ROOT, "  %-14s per fork: us/op [%s], B/op [%s]%n", "", forkNanos, forkBytes);
      StringBuilder blocks = new StringBuilder();
      for (double b : blockNanos) {
        blocks.append(blocks.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.2f", b));
      }
      json.append(String.format(Locale.ROOT,
          "{\"benchmark\":\"%s\",\"params\":\"%s\",\"method\":\"%s\",\"nsPerOp\":%.2f,\"ops\":%d,"
              + "\"sliceMs\":%d,\"warmupS\":%d,\"measureS\":%d,\"blockNsPerOp\":[%s],"
              + "\"forks\":%d,\"forkNsPerOp\":[%s],\"forkBytesPerOp\":[%s]}%n",
          benchmark, params, group.getKey(), perOp, ops, sliceMillis, warmupS, measureS, blocks,
          forks.size(), forkNanos, forkBytes));
    }
    if (out != null) {
      Files.writeString(Path.of(out), json, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }

  /** Returns the mean over {@code forks} of their time per operation in {@code block} (-1: all). */
  private static double meanNanosPerOp(List<Side> forks, int block) {
    return forks.stream().mapToDouble(side -> side.nanosPerOp(block)).average().orElse(Double.NaN);
  }

  /** One worker JVM and what it measured, per block of the measurement. */
  private static final class Side {
    final String method;
    final Process process;
    final BufferedReader in;
    final Writer commands;
    final long[] ops = new long[BLOCKS];
    final long[] nanos = new long[BLOCKS];
    long measuredBytes;

    Side(String method, Process process) {
      this.method = method;
      this.process = process;
      this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.commands = new PrintWriter(process.getOutputStream(), false, StandardCharsets.UTF_8);
    }

    void expect(String word) throws IOException {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals(word)) {
          return;
        }
        System.out.println("[" + method + "] " + line); // the application's own output
      }
      throw new IOException(method + ": the worker ended before '" + word + "'");
    }

    void slice(long millis, int block) throws IOException {
      commands.write("run " + millis + "\n");
      commands.flush();
      String line = in.readLine();
      while (line != null && !line.startsWith("done ")) {
        System.out.println("[" + method + "] " + line);
        line = in.readLine();
      }
      if (line == null) {
        throw new IOException(method + ": the worker ended during a slice");
      }
      String[] parts = line.split(" ");
      if (block >= 0) {
        ops[block] += Long.parseLong(parts[1]);
        nanos[block] += Long.parseLong(parts[2]);
        measuredBytes += Long.parseLong(parts[3]);
      }
    }

    void quit() throws IOException {
      commands.write("quit\n");
      commands.flush();
      expect("bye");
    }

    long ops(int block) {
      return block >= 0 ? ops[block] : Arrays.stream(ops).sum();
    }

    /** Bytes the worker's thread allocated per operation over the measurement (exact, like -prof gc). */
    double bytesPerOp() {
      return (double) measuredBytes / Math.max(1, ops(-1));
    }

    double nanosPerOp(int block) {
      long n = block >= 0 ? nanos[block] : Arrays.stream(nanos).sum();
      return (double) n / Math.max(1, ops(block));
    }
  }

  private static void worker(String benchmark, String method, String params) throws Exception {
    Class<?> type = Class.forName(PairedRun.class.getPackageName() + '.' + benchmark);
    Method target = null;
    for (Method candidate : type.getMethods()) {
      if (candidate.getName().equals(method) && candidate.isAnnotationPresent(Benchmark.class)) {
        target = candidate;
      }
    }
    if (target == null || target.getParameterCount() != 1) {
      throw new IllegalArgumentException(benchmark + "." + method + ": no @Benchmark method of one @State parameter");
    }
    Object instance = type.getDeclaredConstructor().newInstance();
    Object state = target.getParameterTypes()[0].getDeclaredConstructor().newInstance();
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : params.split(",")) {
      if (!pair.isBlank()) {
        values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
    }
    for (Class<?> c = state.getClass(); c != null; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        Param param = field.getAnnotation(Param.class);
        if (param != null) {
          String value = values.getOrDefault(field.getName(), param.value()[0]);
          field.setAccessible(true);
          field.set(state, field.getType() == int.class ? (Object) Integer.parseInt(value) : value);
        }
      }
    }
    call(state, Setup.class, Level.Trial);
    call(state, Setup.class, Level.Iteration);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    out.println("ready");
    long sink = 0;
    int slices = 0;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    String line;
    while ((line = commands.readLine()) != null && !line.equals("quit")) {
      long millis = Long.parseLong(line.substring(4));
      long ops = 0;
      long bytesBefore = threads.getCurrentThreadAllocatedBytes();
      long begin = System.nanoTime();
      long end = begin + millis * 1_000_000L;
      long now;
      do {
        Object result = target.invoke(instance, state);
        sink += result == null ? 1 : result.hashCode();
        ops++;
        now = System.nanoTime();
      } while (now < end);
      long bytes = threads.getCurrentThreadAllocatedBytes() - bytesBefore;
      out.println("done " + ops + " " + (now - begin) + " " + bytes);
      if (++slices % SLICES_PER_ITERATION == 0) {
        call(state, TearDown.class, Level.Iteration);
        call(state, Setup.class, Level.Iteration);
      }
    }
    call(state, TearDown.class, Level.Iteration);
    call(state, TearDown.class, Level.Trial);
    out.println("sink " + sink);
    out.println("bye");
  }

  private static void call(Object state, Class<?> annotation, Level level) throws Exception {
    for (Method method : state.getClass().getMethods()) {
      Level declared = annotation == Setup.class
          ? (method.isAnnotationPresent(Setup.class) ? method.getAnnotation(Setup.class).value() : null)
          : (method.isAnnotationPresent(TearDown.class) ? method.getAnnotation(TearDown.class).value() : null);
      if (declared == level) {
        try {
          method.invoke(state);
        } catch (InvocationTargetException e) {
          throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
      }
    }
  }
}
