package dev.betterauthz.token;

import dev.betterauthz.config.AppConfig.JwtConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.base64url.Base64Url;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/** Keys, configurations and tokens signed in the test. */
final class TestJwts {
  static final String ISSUER = "https://auth.example.com";
  static final String AUDIENCE = "https://api.example.com";
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private static final Map<Integer, PublicJsonWebKey> RSA_KEYS = new ConcurrentHashMap<>();

  private TestJwts() {}

  static JwtConfig config(URI jwksUrl) {
    return config(jwksUrl, Duration.ofHours(1));
  }

  static JwtConfig config(URI jwksUrl, Duration refresh) {
    return new JwtConfig(
        Optional.ofNullable(jwksUrl),
        ISSUER,
        List.of(AUDIENCE, "other-audience"),
        List.of("EdDSA", "ES256", "ES512", "RS256", "PS256"),
        Duration.ofSeconds(30),
        refresh,
        Duration.ofSeconds(30),
        Duration.ofMinutes(10),
        Duration.ofSeconds(5),
        8192,
        1000,
        "organizationId",
        "orgRole");
  }

  static PublicJsonWebKey ed25519(String kid) throws JoseException {
    PublicJsonWebKey key = OkpJwkGenerator.generateJwk(OctetKeyPairJsonWebKey.SUBTYPE_ED25519);
    key.setKeyId(kid);
    return key;
  }

  /**
   * An RSA key with this kid. RSA generation is slow on a shared machine, so one key per size is
   * generated per JVM and copied; tests needing distinct RSA keys use different sizes or kinds.
   */
  /** An Ed25519 key without kid, for tests that cannot throw checked exceptions. */
  static PublicJsonWebKey ed25519Unchecked() {
    try {
      return ed25519(null);
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  static PublicJsonWebKey rsa(String kid, int bits) throws JoseException {
    PublicJsonWebKey generated = RSA_KEYS.get(bits);
    if (generated == null) {
      generated = RsaJwkGenerator.generateJwk(bits);
      RSA_KEYS.put(bits, generated);
    }
    PublicJsonWebKey key =
        PublicJsonWebKey.Factory.newPublicJwk(
            generated.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
    key.setKeyId(kid);
    return key;
  }

  static PublicJsonWebKey ec(String kid, String curve) throws JoseException {
    PublicJsonWebKey key =
        EcJwkGenerator.generateJwk(
            EllipticCurves.P_256.equals(curve) ? EllipticCurves.P256 : EllipticCurves.P521);
    key.setKeyId(kid);
    return key;
  }

  /** Claims of a valid Better Auth token at {@link #NOW}. */
  static Map<String, Object> claims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", AUDIENCE);
    claims.put("sub", "user-1");
    claims.put("iat", NOW.getEpochSecond() - 60);
    claims.put("exp", NOW.getEpochSecond() + 900);
    claims.put("email", "someone@example.com");
    claims.put("organizationId", "org-1");
    claims.put("orgRole", "admin");
    claims.put("role", "user");
    claims.put("banned", false);
    return claims;
  }

  /** Signs with jose4j, header {@code alg} and the key's {@code kid}. */
  static String sign(PublicJsonWebKey key, String alg, Map<String, Object> claims)
      throws JoseException {
    return sign(key, alg, key.getKeyId(), claims);
  }

  static String sign(PublicJsonWebKey key, String alg, String kid, Map<String, Object> claims)
      throws JoseException {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(JsonUtil.toJson(claims));
    jws.setAlgorithmHeaderValue(alg);
    if (kid != null) {
      jws.setKeyIdHeaderValue(kid);
    }
    jws.setKey(key.getPrivateKey());
    jws.setDoKeyValidation(false); // lets a test sign with a key the verifier must refuse
    return jws.getCompactSerialization();
  }

  /** Signs with extra protected-header members. */
  static String signWithHeader(
      PublicJsonWebKey key, String alg, Map<String, Object> claims, String name, Object value)
      throws JoseException {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(JsonUtil.toJson(claims));
    jws.setAlgorithmHeaderValue(alg);
    jws.setKeyIdHeaderValue(key.getKeyId());
    jws.getHeaders().setObjectHeaderValue(name, value);
    jws.setKey(key.getPrivateKey());
    return jws.getCompactSerialization();
  }

  static String b64(String text) {
    return Base64Url.encode(text.getBytes(StandardCharsets.UTF_8));
  }
}
