package dev.betterauthz.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every log line formatted in this test JVM (filled by {@link CapturingAppender}, which {@code
 * logback-test.xml} attaches to the root logger and to {@code dev.betterauthz} at DEBUG). Tests
 * read their own lines with {@link #mark()} and {@link #since(long, String)}; the {@link
 * CredentialLeakListener} scans all of them when the test plan ends.
 *
 * <p>Memory stays bounded: past {@value #MAX_CHARS} retained characters the oldest lines are
 * scanned right away (against the credential patterns and the tokens registered so far) and then
 * dropped; their findings are kept. Thread-safe.
 */
public final class CapturedLogs {
  static final long MAX_CHARS = 32L * 1024 * 1024;

  /** One captured line. */
  public record Line(long seq, String logger, String text, String test) {}

  private static final ConcurrentLinkedQueue<Line> LINES = new ConcurrentLinkedQueue<>();
  private static final List<String> EARLY_FINDINGS = new ArrayList<>();
  private static final AtomicLong SEQ = new AtomicLong();
  private static final AtomicLong CHARS = new AtomicLong();
  private static final AtomicLong TOTAL = new AtomicLong();
  private static volatile String currentTest = "(no test running)";

  private CapturedLogs() {}

  static void add(String logger, String text) {
    LINES.add(new Line(SEQ.incrementAndGet(), logger, text, currentTest));
    TOTAL.incrementAndGet();
    if (CHARS.addAndGet(text.length()) > MAX_CHARS) {
      drainOldest();
    }
  }

  private static synchronized void drainOldest() {
    List<String> tokens = TokenRegistry.tokens();
    while (CHARS.get() > MAX_CHARS / 2) {
      Line line = LINES.poll();
      if (line == null) {
        return;
      }
      CHARS.addAndGet(-line.text().length());
      EARLY_FINDINGS.addAll(CredentialLeaks.scan(line, tokens));
    }
  }

  static void currentTest(String name) {
    currentTest = name;
  }

  /** The sequence number of the latest captured line; pass it to {@link #since}. */
  public static long mark() {
    return SEQ.get();
  }

  /** Texts of lines captured after {@code mark} from logger {@code logger}, in order. */
  public static List<String> since(long mark, String logger) {
    List<String> out = new ArrayList<>();
    for (Line line : LINES) {
      if (line.seq() > mark && line.logger().equals(logger)) {
        out.add(line.text());
      }
    }
    return out;
  }

  /** Every retained line. */
  static List<Line> all() {
    return new ArrayList<>(LINES);
  }

  /** Findings of lines already dropped to bound memory. */
  static synchronized List<String> earlyFindings() {
    return List.copyOf(EARLY_FINDINGS);
  }

  /** How many lines were captured in total (retained or not). */
  static long total() {
    return TOTAL.get();
  }
}
