package dev.betterauthz.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SessionCookiesTest {
  private static final String SECRET = "better-auth-secret-123456789012345678";
  private static final String TOKEN = "Xk3vQ9mB2rT7yL0pW4sD8fH1jN6cZ5aE";
  private static final SecretKey KEY = SessionCookies.signingKey(SECRET);

  /** Computed independently of the code under test, as Better Auth's better-call does. */
  static String signature(String secret, String token) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** encodeURIComponent of a {@code token.signature} value (alphanumerics, '.', base64). */
  static String encodeUriComponent(String value) {
    return value.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D");
  }

  private static String signed() throws Exception {
    return TOKEN + "." + signature(SECRET, TOKEN);
  }

  @Test
  void signatureIsStandardBase64WithPadding() throws Exception {
    String sig = signature(SECRET, TOKEN);
    assertThat(sig).hasSize(SessionCookies.SIGNATURE_LENGTH).endsWith("=");
  }

  @Test
  void acceptsValidSignedValue() throws Exception {
    assertThat(SessionCookies.verifySigned(signed(), KEY)).contains(TOKEN);
  }

  @Test
  void acceptsUrlEncodedSignedValue() throws Exception {
    String encoded = encodeUriComponent(signed());
    assertThat(encoded).contains("%3D");
    assertThat(SessionCookies.verifySigned(encoded, KEY)).contains(TOKEN);
  }

  @Test
  void keepsPlusSignsOfAnUnencodedSignature() throws Exception {
    // Find a token whose signature holds a '+', so form decoding (plus = space) would break it.
    String token = TOKEN;
    for (int i = 0; !signature(SECRET, token).contains("+"); i++) {
      token = TOKEN.substring(0, 30) + String.format("%02d", i);
    }
    String value = token + "." + signature(SECRET, token);
    assertThat(SessionCookies.verifySigned(value, KEY)).contains(token);
    assertThat(SessionCookies.verifySigned(encodeUriComponent(value), KEY)).contains(token);
  }

  @Test
  void rejectsTamperedSignature() throws Exception {
    String sig = signature(SECRET, TOKEN);
    char first = sig.charAt(0) == 'A' ? 'B' : 'A';
    assertThat(SessionCookies.verifySigned(TOKEN + "." + first + sig.substring(1), KEY)).isEmpty();
  }

  @Test
  void rejectsTamperedToken() throws Exception {
    String other = "Y" + TOKEN.substring(1);
    assertThat(SessionCookies.verifySigned(other + "." + signature(SECRET, TOKEN), KEY)).isEmpty();
  }

  @Test
  void rejectsSignatureMadeWithAnotherSecret() throws Exception {
    String value = TOKEN + "." + signature("another-secret", TOKEN);
    assertThat(SessionCookies.verifySigned(value, KEY)).isEmpty();
  }

  @Test
  void rejectsSignatureOfWrongLength() throws Exception {
    String sig = signature(SECRET, TOKEN);
    assertThat(SessionCookies.verifySigned(TOKEN + "." + sig.substring(0, 43), KEY)).isEmpty();
    assertThat(SessionCookies.verifySigned(TOKEN + "." + sig + "=", KEY)).isEmpty();
    String unpadded = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    assertThat(SessionCookies.verifySigned(TOKEN + "." + unpadded, KEY)).isEmpty();
  }

  @Test
  void rejectsSignatureNotEndingWithPadding() throws Exception {
    String sig = signature(SECRET, TOKEN);
    String noPad = sig.substring(0, 43) + "A";
    assertThat(SessionCookies.verifySigned(TOKEN + "." + noPad, KEY)).isEmpty();
  }

  @Test
  void rejectsInvalidBase64OfRightLength() throws Exception {
    String bad = "!" + signature(SECRET, TOKEN).substring(1);
    assertThat(SessionCookies.verifySigned(TOKEN + "." + bad, KEY)).isEmpty();
  }

  @Test
  void rejectsValueWithoutDot() throws Exception {
    assertThat(SessionCookies.verifySigned(TOKEN + signature(SECRET, TOKEN), KEY)).isEmpty();
  }

  @Test
  void rejectsValueWithEmptyToken() throws Exception {
    assertThat(SessionCookies.verifySigned("." + signature(SECRET, ""), KEY)).isEmpty();
  }

  @Test
  void splitsAtTheLastDot() throws Exception {
    String token = "part.one";
    assertThat(SessionCookies.verifySigned(token + "." + signature(SECRET, token), KEY))
        .contains(token);
  }

  @Test
  void rejectsRawTokenInCookie() {
    // Better Auth rejects it as well (issues #4517, #3892): a cookie must be signed.
    assertThat(SessionCookies.verifySigned(TOKEN, KEY)).isEmpty();
  }

  @Test
  void rejectsMalformedPercentEncoding() throws Exception {
    assertThat(SessionCookies.verifySigned(signed() + "%", KEY)).isEmpty();
    assertThat(SessionCookies.verifySigned(TOKEN + "%zz." + signature(SECRET, TOKEN), KEY))
        .isEmpty();
  }

  @Test
  void rejectsEmptyNullAndOversizedValues() throws Exception {
    assertThat(SessionCookies.verifySigned("", KEY)).isEmpty();
    assertThat(SessionCookies.verifySigned(null, KEY)).isEmpty();
    String huge = "a".repeat(SessionCookies.MAX_VALUE_LENGTH);
    assertThat(SessionCookies.verifySigned(huge + "." + signature(SECRET, huge), KEY)).isEmpty();
  }

  @Test
  void findsCookieAmongSeveral() throws Exception {
    String header = "theme=dark; better-auth.session_token=" + signed() + "; lang=en";
    assertThat(SessionCookies.find(header, "better-auth")).contains(signed());
  }

  @Test
  void findsCookieDespiteSpaces() throws Exception {
    String header = "  theme=dark ;   better-auth.session_token=" + signed() + " ;lang=en  ";
    assertThat(SessionCookies.find(header, "better-auth")).contains(signed());
  }

  @Test
  void findsSecurePrefixedCookie() throws Exception {
    String value = encodeUriComponent(signed());
    String header = "a=1; __Secure-better-auth.session_token=" + value;
    assertThat(SessionCookies.find(header, "better-auth")).contains(value);
  }

  @Test
  void prefersSecureCookieWhenBothPresent() {
    String header = "better-auth.session_token=plain; __Secure-better-auth.session_token=secure";
    assertThat(SessionCookies.find(header, "better-auth")).contains("secure");
    String reversed = "__Secure-better-auth.session_token=secure; better-auth.session_token=plain";
    assertThat(SessionCookies.find(reversed, "better-auth")).contains("secure");
  }

  @Test
  void honoursCookiePrefix() {
    String header = "better-auth.session_token=default; myapp.session_token=mine";
    assertThat(SessionCookies.find(header, "myapp")).contains("mine");
    assertThat(SessionCookies.find("better-auth.session_data=x", "better-auth")).isEmpty();
  }

  @Test
  void findsNothingInMissingHeader() {
    assertThat(SessionCookies.find(null, "better-auth")).isEmpty();
    assertThat(SessionCookies.find("", "better-auth")).isEmpty();
    assertThat(SessionCookies.find("a=b; c=d", "better-auth")).isEmpty();
  }

  @Test
  void bearerAcceptsRawTokenUnlessSignatureRequired() {
    assertThat(SessionCookies.verifyBearer(TOKEN, KEY, false)).contains(TOKEN);
    assertThat(SessionCookies.verifyBearer(TOKEN, KEY, true)).isEmpty();
  }

  @Test
  void bearerAcceptsSignedTokenEncodedOrNot() throws Exception {
    assertThat(SessionCookies.verifyBearer(signed(), KEY, true)).contains(TOKEN);
    assertThat(SessionCookies.verifyBearer(encodeUriComponent(signed()), KEY, true))
        .contains(TOKEN);
  }

  @Test
  void bearerRejectsGarbageAndTamperedSignature() throws Exception {
    assertThat(SessionCookies.verifyBearer("short", KEY, false)).isEmpty();
    assertThat(SessionCookies.verifyBearer(TOKEN + "!", KEY, false)).isEmpty();
    assertThat(SessionCookies.verifyBearer(null, KEY, false)).isEmpty();
    String sig = signature("other", TOKEN);
    assertThat(SessionCookies.verifyBearer(TOKEN + "." + sig, KEY, false)).isEmpty();
  }

  @Test
  void tellsSessionTokensFromJwts() throws Exception {
    assertThat(SessionCookies.looksLikeSessionToken(TOKEN)).isTrue();
    assertThat(SessionCookies.looksLikeSessionToken(signed())).isTrue();
    assertThat(SessionCookies.looksLikeSessionToken(encodeUriComponent(signed()))).isTrue();
    assertThat(SessionCookies.looksLikeSessionToken("eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1In0.c2ln"))
        .isFalse();
    assertThat(SessionCookies.looksLikeSessionToken(null)).isFalse();
  }

  @Test
  void rejectsEmptySecret() {
    assertThatThrownBy(() -> SessionCookies.signingKey(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesTheCookies() {
    assertThat(SessionCookies.cookieName("better-auth")).isEqualTo("better-auth.session_token");
    assertThat(SessionCookies.secureCookieName("better-auth"))
        .isEqualTo("__Secure-better-auth.session_token");
  }
}
