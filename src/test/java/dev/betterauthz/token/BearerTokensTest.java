package dev.betterauthz.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.token.BearerTokens.Absent;
import dev.betterauthz.token.BearerTokens.Malformed;
import dev.betterauthz.token.BearerTokens.Present;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokensTest {

  @Test
  void findsNoCredentialWithoutAHeader() {
    assertThat(BearerTokens.parse(null)).isInstanceOf(Absent.class);
    assertThat(BearerTokens.parse("")).isInstanceOf(Absent.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer a.b.c", "bearer a.b.c", "BEARER a.b.c", " Bearer a.b.c "})
  void takesTheTokenWhateverTheSchemeCase(String header) {
    assertThat(BearerTokens.parse(header)).isEqualTo(new Present("a.b.c"));
  }

  @Test
  void acceptsBase64UrlCharacters() {
    String token = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1LTEifQ.Ab_-09";
    assertThat(BearerTokens.parse("Bearer " + token)).isEqualTo(new Present(token));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Token abc", "Bearerabc", "Digest x=1"})
  void ignoresOtherSchemes(String header) {
    assertThat(BearerTokens.parse(header)).isInstanceOf(Absent.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Bearer",
        "Bearer ",
        "Bearer  a.b.c",
        "Bearer a.b.c d",
        "Bearer\ta.b.c",
        "Bearer a=b",
        "Bearer a.b\"c",
        "Bearer a.b.c, Bearer d.e.f",
        "Basic x, Bearer a.b.c"
      })
  void refusesMalformedOrRepeatedHeaders(String header) {
    assertThat(BearerTokens.parse(header)).isInstanceOf(Malformed.class);
  }

  @Test
  void acceptsSignedSessionTokensWhichUseStandardBase64() {
    String signed = "abcdefghijklmnopqrstuvwxyz012345.AbC+dEf/GhIjKlMnOpQrStUvWxYz0123456789ab=";
    assertThat(BearerTokens.parse("Bearer " + signed)).isEqualTo(new Present(signed));
  }

  @Test
  void neverPrintsTheToken() {
    assertThat(new Present("secret.token.value").toString()).doesNotContain("secret");
  }

  @Test
  void theCharacterLoopAcceptsExactlyTheB64TokenGrammar() {
    Pattern grammar = Pattern.compile("[A-Za-z0-9_\\-.~+/%]+=*");
    String alphabet = "aZ09_-.~+/%= ,\"é\t";
    Random random = new Random(6750);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder token = new StringBuilder();
      int length = random.nextInt(8);
      for (int i = 0; i < length; i++) {
        token.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String t = token.toString();
      assertThat(BearerTokens.isB64Token(t)).as("'%s'", t).isEqualTo(grammar.matcher(t).matches());
    }
  }
}
