package dev.betterauthz.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final String JWS =
      "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEifQ.MEUCIQDx3v_9-abcDEF0123456789";

  @Test
  void masksCompactJws() {
    assertThat(Redactor.redact("token " + JWS + " rejected"))
        .isEqualTo("token [REDACTED] rejected");
  }

  @Test
  void masksTruncatedAndFivePartTokens() {
    assertThat(Redactor.redact("got eyJhbGciOiJFZERTQSJ9.eyJzdWIi")).isEqualTo("got [REDACTED]");
    assertThat(Redactor.redact("jwe eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d end"))
        .isEqualTo("jwe [REDACTED] end");
  }

  @Test
  void masksBearerAndBasicCredentials() {
    assertThat(Redactor.redact("Authorization: Bearer abc.def-ghi_jkl"))
        .isEqualTo("Authorization: Bearer [REDACTED]");
    assertThat(Redactor.redact("authorization=bearer%20opaque-session-token"))
        .isEqualTo("authorization=bearer [REDACTED]");
    assertThat(Redactor.redact("Basic dXNlcjpwYXNz")).isEqualTo("Basic [REDACTED]");
  }

  @Test
  void masksSessionCookiesAndSecretParameters() {
    assertThat(Redactor.redact("cookie: better-auth.session_token=abc123.sig456; theme=dark"))
        .isEqualTo("cookie: better-auth.session_token=[REDACTED]; theme=dark");
    assertThat(Redactor.redact("__Secure-better-auth.session_token=xyz"))
        .isEqualTo("__Secure-better-auth.session_token=[REDACTED]");
    assertThat(Redactor.redact("/cb?code=1&access_token=s3cr3t&x=2"))
        .isEqualTo("/cb?code=1&access_token=[REDACTED]&x=2");
    assertThat(Redactor.redact("{\"password\": \"hunter2\"}"))
        .isEqualTo("{\"password\": \"[REDACTED]\"}");
  }

  @Test
  void masksPasswordsInUrls() {
    assertThat(Redactor.redact("connecting to postgresql://authz:pa55w0rd@db:5432/app"))
        .isEqualTo("connecting to postgresql://authz:[REDACTED]@db:5432/app");
    assertThat(Redactor.redact("redis://:only-password@cache:6379"))
        .isEqualTo("redis://:[REDACTED]@cache:6379");
  }

  @Test
  void leavesOrdinaryTextAloneAndReturnsTheSameInstance() {
    String path = "/api/orgs/org-1/leave/42/approve";
    assertThat(Redactor.redact(path)).isSameAs(path);
    String url = "postgresql://postgres@127.0.0.1:5432/postgres";
    assertThat(Redactor.redact(url)).isEqualTo(url);
    String challenge = "WWW-Authenticate: Bearer realm=\"better-authz\", error=\"invalid_token\"";
    assertThat(Redactor.redact(challenge)).isEqualTo(challenge);
    assertThat(Redactor.redact(null)).isNull();
  }

  @Test
  void masksEveryOccurrence() {
    String text = JWS + " and " + JWS + " and Bearer " + JWS;
    assertThat(Redactor.redact(text)).doesNotContain("eyJ").contains("and [REDACTED] and");
  }
}
