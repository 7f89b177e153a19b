package dev.betterauthz.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The suite-wide guard that no credential is ever logged. Registered for every test JVM (surefire
 * and failsafe) through {@code
 * META-INF/services/org.junit.platform.launcher.TestExecutionListener}. When the test plan ends it
 * scans every line {@link CapturedLogs} holds for the tokens in {@link TokenRegistry}, JWS-shaped
 * strings, {@code Bearer} credentials and session-token cookies.
 */
public final class CredentialLeakListener implements TestExecutionListener {
  static final Path REPORT = Path.of("target", "credential-leaks.txt");
  static final int EXIT_CODE = 86;

  @Override
  public void executionStarted(TestIdentifier id) {
    if (id.isTest()) {
      CapturedLogs.currentTest(id.getLegacyReportingName() + " [" + id.getUniqueId() + "]");
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    List<String> findings = findings();
    if (findings.isEmpty()) {
      return;
    }
    String report = report(findings);
    write(report);
    System.err.println(report);
    System.err.flush();
    System.exit(EXIT_CODE);
  }

  static List<String> findings() {
    List<String> tokens = TokenRegistry.tokens();
    List<String> findings = new ArrayList<>(CapturedLogs.earlyFindings());
    for (CapturedLogs.Line line : CapturedLogs.all()) {
      findings.addAll(CredentialLeaks.scan(line, tokens));
    }
    return findings;
  }

  static String report(List<String> findings) {
    return "CREDENTIAL LEAK: "
        + findings.size()
        + " log line(s) of "
        + CapturedLogs.total()
        + " captured contain a credential (values masked below).\n"
        + String.join("\n", findings)
        + "\n";
  }

  private static void write(String report) {
    try {
      Files.createDirectories(REPORT.getParent());
      Files.writeString(REPORT, report, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
