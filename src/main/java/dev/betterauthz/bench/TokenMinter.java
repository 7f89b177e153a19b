package dev.betterauthz.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Mints tokens shaped like Better Auth's JWT plugin output (EdDSA/Ed25519, header {@code alg} and
 * {@code kid}, no {@code typ}; {@code iss}/{@code aud} strings; {@code organizationId} and {@code
 * orgRole} claims) with an Ed25519 key generated at construction. Thread-safe.
 */
public final class TokenMinter {
  public static final String ISSUER = "http://bench.better-authz.local";
  public static final String AUDIENCE = ISSUER;
  public static final String ORG_CLAIM = "organizationId";
  public static final String ORG_ROLE_CLAIM = "orgRole";

  private final OctetKeyPairJsonWebKey key;
  private final Duration lifetime;

  private TokenMinter(OctetKeyPairJsonWebKey key, Duration lifetime) {
    this.key = key;
    this.lifetime = lifetime;
  }

  /** A minter with a fresh Ed25519 key whose tokens live {@code lifetime}. */
  public static TokenMinter generate(Duration lifetime) {
    try {
      OctetKeyPairJsonWebKey jwk =
          OkpJwkGenerator.generateJwk(OctetKeyPairJsonWebKey.SUBTYPE_ED25519);
      jwk.setKeyId("bench-" + UUID.randomUUID());
      jwk.setAlgorithm(AlgorithmIdentifiers.EDDSA);
      return new TokenMinter(jwk, lifetime);
    } catch (JoseException e) {
      throw new IllegalStateException("cannot generate an Ed25519 key", e);
    }
  }

  public String keyId() {
    return key.getKeyId();
  }

  /** The public JWKS document ({@code {"keys":[...]}}), as Better Auth's {@code /jwks} serves. */
  public String jwksJson() {
    return new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
  }

  /** A valid token for a member of {@code orgId} with {@code orgRole}. */
  public String mint(String userId, String orgId, String orgRole) {
    return sign(userId, orgId, orgRole, key.getKeyId());
  }

  /** A token signed by this key but naming a key id that no JWKS contains. */
  public String mintWithUnknownKid(String userId, String orgId, String orgRole) {
    return sign(userId, orgId, orgRole, "unknown-" + UUID.randomUUID());
  }

  /**
   * The same token with one signature byte changed: its header and claims are valid, its signature
   * is not.
   */
  public static String corruptSignature(String token) {
    int dot = token.lastIndexOf('.');
    byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    signature[signature.length / 2] ^= 0x01;
    return token.substring(0, dot + 1)
        + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  private String sign(String userId, String orgId, String orgRole, String kid) {
    Instant now = Instant.now();
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(ISSUER);
    claims.setAudience(AUDIENCE);
    claims.setSubject(userId);
    claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
    claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
    claims.setClaim("id", userId);
    claims.setClaim("email", userId + "@bench.test");
    claims.setClaim("role", "user");
    claims.setClaim(ORG_CLAIM, orgId);
    claims.setClaim(ORG_ROLE_CLAIM, orgRole);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
    jws.setKeyIdHeaderValue(kid);
    jws.setKey(key.getPrivateKey());
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException("cannot sign a bench token", e);
    }
  }
}
