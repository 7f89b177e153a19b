package dev.betterauthz.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialLeaksTest {
  private static CapturedLogs.Line line(String text) {
    return new CapturedLogs.Line(1, "dev.betterauthz.z", text, "someTest()");
  }

  @Test
  void findsJwsShapedStrings() {
    List<String> findings =
        CredentialLeaks.scan(
            line("verified eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl"), List.of());

    assertThat(findings).singleElement().asString().startsWith("JWS-shaped string");
    assertThat(findings.get(0)).doesNotContain("c2lnbmF0dXJl").contains("during someTest()");
  }

  @Test
  void findsRegisteredTokensBearerCredentialsAndSessionCookies() {
    String opaque = "opaqueSessionToken1234.sig";
    assertThat(CredentialLeaks.scan(line("value " + opaque + " seen"), List.of(opaque)))
        .singleElement()
        .asString()
        .startsWith("registered token")
        .doesNotContain(opaque);
    assertThat(CredentialLeaks.scan(line("Authorization: Bearer abcdefgh12345"), List.of()))
        .singleElement()
        .asString()
        .startsWith("Bearer credential");
    assertThat(CredentialLeaks.scan(line("better-auth.session_token=abcdef123456"), List.of()))
        .singleElement()
        .asString()
        .startsWith("session-token cookie");
  }

  @Test
  void acceptsRedactedLinesAndChallenges() {
    assertThat(CredentialLeaks.scan(line("Authorization: Bearer [REDACTED]"), List.of())).isEmpty();
    assertThat(
            CredentialLeaks.scan(
                line("WWW-Authenticate: Bearer realm=\"better-authz\", error=\"invalid_token\""),
                List.of()))
        .isEmpty();
    assertThat(CredentialLeaks.scan(line("session_token=[REDACTED]"), List.of())).isEmpty();
  }

  @Test
  void registryIgnoresValuesTooShortToBeCredentials() {
    TokenRegistry.register("short");

    assertThat(TokenRegistry.tokens()).doesNotContain("short");
  }
}
