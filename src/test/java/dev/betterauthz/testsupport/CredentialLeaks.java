package dev.betterauthz.testsupport;

import dev.betterauthz.observability.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What counts as a credential in a log line, for {@link CredentialLeakListener}. */
final class CredentialLeaks {
  static final Pattern JWS =
      Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}");
  static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]{8,}");
  static final Pattern SESSION_COOKIE =
      Pattern.compile("(?i)session_token=[A-Za-z0-9._~+/=%-]{8,}");

  private CredentialLeaks() {}

  /** Findings for one line: what matched, where the line came from and the line, redacted. */
  static List<String> scan(CapturedLogs.Line line, List<String> tokens) {
    List<String> kinds = new ArrayList<>();
    String text = line.text();
    for (String token : tokens) {
      if (text.contains(token)) {
        kinds.add("registered token");
        break;
      }
    }
    if (JWS.matcher(text).find()) {
      kinds.add("JWS-shaped string");
    }
    if (BEARER.matcher(text).find()) {
      kinds.add("Bearer credential");
    }
    if (SESSION_COOKIE.matcher(text).find()) {
      kinds.add("session-token cookie");
    }
    if (kinds.isEmpty()) {
      return List.of();
    }
    String shown = Redactor.redact(text);
    for (String token : tokens) {
      shown = shown.replace(token, Redactor.MASK);
    }
    return List.of(
        String.join(", ", kinds)
            + " in logger "
            + line.logger()
            + " during "
            + line.test()
            + ":\n    "
            + shown.replace("\n", "\n    "));
  }
}
