package dev.betterauthz.token;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads Better Auth session credentials: finds the session cookie in a {@code cookie} header and
 * checks the signed {@code token.signature} form that Better Auth writes into that cookie and
 * returns from the bearer plugin.
 *
 * <p>The signed form is {@code encodeURIComponent(token + "." + base64(HMAC-SHA256(secret,
 * token)))}: standard base64 with padding, so the signature is 44 characters ending in {@code =}.
 * The value is percent-decoded (a {@code +} stays a {@code +}), split at the last {@code .}, and
 * the HMAC is compared in constant time. Anything malformed is rejected. Nothing here does IO, so
 * every check runs before any database lookup.
 *
 * <p>Stateless and thread-safe. Results never appear in exceptions or logs.
 */
public final class SessionCookies {

  /** Length of a base64 HMAC-SHA256 signature with padding. */
  public static final int SIGNATURE_LENGTH = 44;

  /** Longest credential value considered; anything longer is rejected without work. */
  public static final int MAX_VALUE_LENGTH = 1024;

  private static final String HMAC = "HmacSHA256";
  private static final String SECURE_PREFIX = "__Secure-";
  private static final Pattern RAW_TOKEN = Pattern.compile("[A-Za-z0-9]{32}");

  private SessionCookies() {}

  /** {@code <prefix>.session_token}, the cookie name without the secure prefix. */
  public static String cookieName(String cookiePrefix) {
    return Objects.requireNonNull(cookiePrefix, "cookiePrefix") + ".session_token";
  }

  /** {@code __Secure-<prefix>.session_token}, used over HTTPS and in production. */
  public static String secureCookieName(String cookiePrefix) {
    return SECURE_PREFIX + cookieName(cookiePrefix);
  }

  /**
   * The value of the session cookie in a {@code cookie} header, as sent (not decoded or checked).
   * When both {@code __Secure-<prefix>.session_token} and {@code <prefix>.session_token} are
   * present the secure one wins; when a name repeats, its first occurrence wins.
   *
   * @param cookieHeader the header value (several cookies separated by {@code ;}), may be null
   * @param cookiePrefix Better Auth's {@code advanced.cookiePrefix}, {@code better-auth} by default
   */
  public static Optional<String> find(String cookieHeader, String cookiePrefix) {
    if (cookieHeader == null || cookieHeader.isBlank()) {
      return Optional.empty();
    }
    String plainName = cookieName(cookiePrefix);
    String secureName = secureCookieName(cookiePrefix);
    String plain = null;
    for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(cookieHeader)) {
      // NOTE: the lax decoder keeps whitespace before a ';'; no cookie-octet is whitespace.
      if (cookie.name().equals(secureName)) {
        return Optional.of(cookie.value().strip());
      }
      if (plain == null && cookie.name().equals(plainName)) {
        plain = cookie.value().strip();
      }
    }
    return Optional.ofNullable(plain);
  }

  /** The HMAC key Better Auth derives from its secret (the UTF-8 bytes, used as is). */
  public static SecretKey signingKey(String secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the Better Auth secret must not be empty");
    }
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
  }

  /**
   * The raw session token of a signed value, if the value is well formed and its signature is
   * right: percent-decode, split at the last {@code .}, require a 44-character signature ending in
   * {@code =}, compare the HMAC in constant time. This is how a cookie value is read.
   */
  public static Optional<String> verifySigned(String value, SecretKey key) {
    Objects.requireNonNull(key, "key");
    Optional<String> decoded = percentDecode(value);
    if (decoded.isEmpty()) {
      return Optional.empty();
    }
    String signed = decoded.get();
    int dot = signed.lastIndexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String token = signed.substring(0, dot);
    String signature = signed.substring(dot + 1);
    if (signature.length() != SIGNATURE_LENGTH || !signature.endsWith("=")) {
      return Optional.empty();
    }
    byte[] presented;
    try {
      presented = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    byte[] expected = hmac(key, token);
    return MessageDigest.isEqual(presented, expected) ? Optional.of(token) : Optional.empty();
  }

  /**
   * The raw session token of a bearer value, as Better Auth's bearer plugin reads it: a signed
   * {@code token.signature} (URL-encoded or not) is checked like a cookie; a raw token (32 ASCII
   * letters or digits) is accepted as is unless {@code requireSignature}.
   */
  public static Optional<String> verifyBearer(
      String value, SecretKey key, boolean requireSignature) {
    Objects.requireNonNull(key, "key");
    if (value == null) {
      return Optional.empty();
    }
    if (isRawToken(value)) {
      return requireSignature ? Optional.empty() : Optional.of(value);
    }
    return verifySigned(value, key);
  }

  /** True for a raw Better Auth session token: exactly 32 ASCII letters or digits. */
  public static boolean isRawToken(String value) {
    return value != null && RAW_TOKEN.matcher(value).matches();
  }

  /**
   * True when a bearer value has the shape of a session credential (raw, or one {@code .} before a
   * percent-encoded or plain 44-character signature) rather than a JWT. A shape test only, used to
   * choose a verifier; it proves nothing.
   */
  public static boolean looksLikeSessionToken(String bearerValue) {
    if (bearerValue == null || bearerValue.length() > MAX_VALUE_LENGTH) {
      return false;
    }
    if (isRawToken(bearerValue)) {
      return true;
    }
    int dots = bearerValue.length() - bearerValue.replace(".", "").length();
    return dots == 1 && (bearerValue.endsWith("=") || bearerValue.endsWith("%3D"));
  }

  /**
   * decodeURIComponent semantics: {@code %XX} sequences are decoded as UTF-8 and a {@code +} stays
   * a {@code +} (standard base64 uses it). Empty on a malformed sequence or an oversized value.
   */
  private static Optional<String> percentDecode(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
      return Optional.empty();
    }
    if (value.indexOf('%') < 0) {
      return Optional.of(value);
    }
    try {
      // NOTE: URLDecoder implements form decoding, where '+' means space; escape it first.
      return Optional.of(URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] hmac(SecretKey key, String token) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac.doFinal(token.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is mandatory in every JDK; reaching this is a broken runtime.
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
