package dev.betterauthz.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Plays Better Auth's jwt plugin for end-to-end tests: an Ed25519 key, its JWKS served on a
 * loopback port ({@code /api/auth/jwks}, counting fetches), and tokens shaped like Better Auth's
 * (header {@code {"alg":"EdDSA","kid"}}, no {@code typ}; {@code iss} = {@code aud} = the origin).
 * Every minted token is registered with {@link TokenRegistry} so the log guard can find leaks.
 */
public final class TestIssuer implements AutoCloseable {
  private final PublicJsonWebKey key;
  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private final String origin;

  public TestIssuer() throws IOException, JoseException {
    key = OkpJwkGenerator.generateJwk(OctetKeyPairJsonWebKey.SUBTYPE_ED25519);
    key.setKeyId("k-" + BetterAuthRows.newId().substring(0, 12));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/auth/jwks",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body =
              new JsonWebKeySet(key)
                  .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    origin = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The JWKS URL ({@code AUTHZ_JWKS_URL}); its origin is the default issuer and audience. */
  public URI jwksUrl() {
    return URI.create(origin + "/api/auth/jwks");
  }

  public String origin() {
    return origin;
  }

  /** The key id of the signing key (Better Auth uses the {@code jwks.id} row id). */
  public String kid() {
    return key.getKeyId();
  }

  /** The public key as JWK JSON, as Better Auth stores it in {@code jwks.public_key}. */
  public String publicJwkJson() {
    return key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
  }

  public int fetches() {
    return fetches.get();
  }

  /** A token for {@code userId} with Better Auth's default claims plus {@code extra}. */
  public String mint(String userId, Map<String, Object> extra) {
    return mint(userId, extra, Instant.now(), Duration.ofMinutes(15));
  }

  /** A token issued at {@code iat} and valid for {@code ttl}. */
  public String mint(String userId, Map<String, Object> extra, Instant iat, Duration ttl) {
    try {
      JwtClaims claims = new JwtClaims();
      claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(iat.getEpochSecond()));
      claims.setExpirationTime(
          org.jose4j.jwt.NumericDate.fromSeconds(iat.plus(ttl).getEpochSecond()));
      claims.setIssuer(origin);
      claims.setAudience(origin);
      claims.setSubject(userId);
      Map<String, Object> user = new HashMap<>();
      user.put("id", userId);
      user.put("name", "Test User");
      user.put("email", userId + "@example.com");
      user.put("emailVerified", true);
      user.put("banned", false);
      user.putAll(extra);
      user.forEach(claims::setClaim);
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(claims.toJson());
      jws.setKey(key.getPrivateKey());
      jws.setKeyIdHeaderValue(key.getKeyId());
      jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
      return TokenRegistry.register(jws.getCompactSerialization());
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code kid} of the signing key. */
  public String keyId() {
    return key.getKeyId();
  }

  /**
   * A compact JWS over exactly these header and payload bytes, signed with the issuer's key
   * (Ed25519), for hostile-token tests that need a valid signature on a malformed or unusual header
   * or payload (duplicate keys, {@code crit}, non-string {@code sub}). Registered with the log
   * guard.
   */
  public String signRaw(String headerJson, String payloadJson) {
    try {
      java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
      String input =
          b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8))
              + "."
              + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
      java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
      signer.initSign(key.getPrivateKey());
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return TokenRegistry.register(input + "." + b64.encodeToString(signer.sign()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
