package dev.betterauthz.jmh;

import com.sun.net.httpserver.HttpServer;
import dev.betterauthz.config.AppConfig.JwtConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * One signing key (Ed25519 or RSA-2048) whose public JWKS is served on loopback, and tokens signed
 * with it shaped like Better Auth's: the fixture of the JMH benchmarks. Close it to stop the
 * server.
 */
final class JmhKeys implements AutoCloseable {
  static final String ISSUER = "http://jmh.better-authz.local";

  private final PublicJsonWebKey key;
  private final String alg;
  private final HttpServer server;

  private JmhKeys(PublicJsonWebKey key, String alg, HttpServer server) {
    this.key = key;
    this.alg = alg;
    this.server = server;
  }

  /**
   * A fresh key for {@code alg} ({@code EdDSA} or {@code RS256}) and its JWKS server on loopback.
   */
  static JmhKeys start(String alg) throws JoseException, IOException {
    PublicJsonWebKey key =
        alg.equals(AlgorithmIdentifiers.RSA_USING_SHA256)
            ? RsaJwkGenerator.generateJwk(2048)
            : OkpJwkGenerator.generateJwk(OctetKeyPairJsonWebKey.SUBTYPE_ED25519);
    key.setKeyId("jmh-" + alg);
    key.setAlgorithm(alg);
    byte[] jwks =
        new JsonWebKeySet(key)
            .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
            .getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jwks",
        exchange -> {
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(200, jwks.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(jwks);
          }
        });
    server.start();
    return new JmhKeys(key, alg, server);
  }

  /** The verifier's settings: this JWKS, a token cache of {@code tokenCacheSize} entries. */
  JwtConfig config(int tokenCacheSize) {
    URI jwks = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    return new JwtConfig(
        Optional.of(jwks),
        ISSUER,
        List.of(ISSUER),
        List.of("EdDSA", "RS256"),
        Duration.ofSeconds(30),
        Duration.ofHours(1),
        Duration.ofSeconds(30),
        Duration.ofHours(24),
        Duration.ofSeconds(5),
        8192,
        tokenCacheSize,
        "organizationId",
        "orgRole");
  }

  /** A token of {@code userId}, member of {@code orgId} with {@code orgRole}, valid for 2 h. */
  String mint(String userId, String orgId, String orgRole) {
    Instant now = Instant.now();
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(ISSUER);
    claims.setAudience(ISSUER);
    claims.setSubject(userId);
    claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
    claims.setExpirationTime(NumericDate.fromSeconds(now.getEpochSecond() + 7200));
    claims.setClaim("role", "user");
    claims.setClaim("organizationId", orgId);
    claims.setClaim("orgRole", orgRole);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(alg);
    jws.setKeyIdHeaderValue(key.getKeyId());
    jws.setKey(key.getPrivateKey());
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException("cannot sign a benchmark token", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
