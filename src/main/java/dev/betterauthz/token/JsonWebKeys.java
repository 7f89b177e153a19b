package dev.betterauthz.token;

import dev.betterauthz.token.VerificationKey.Type;
import java.security.spec.ECPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.jose4j.base64url.Base64Url;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * Static parsing of JWKS documents and single JWKs into {@link VerificationKey}s, through jose4j.
 * Keys meant for encryption ({@code use} other than {@code sig}), of an unsupported type or that
 * jose4j cannot parse are skipped and described (kid, kty, use, crv; never key material) so the
 * caller can log them once.
 */
final class JsonWebKeys {

  /**
   * The result of parsing a key set.
   *
   * @param keys the usable keys, in document order
   * @param skipped one line per skipped key: its kid, kty, use and crv, never key material
   */
  record Parsed(List<VerificationKey> keys, List<String> skipped) {
    Parsed {
      keys = List.copyOf(keys);
      skipped = List.copyOf(skipped);
    }
  }

  private JsonWebKeys() {}

  /**
   * Parses a JWKS document ({@code {"keys":[...]}}).
   *
   * @throws JoseException when the document itself is not a JWKS
   */
  static Parsed parseSet(String json) throws JoseException {
    Map<String, Object> document = JsonUtil.parseJson(json);
    if (document == null || !(document.get("keys") instanceof List<?> entries)) {
      throw new JoseException("not a JWKS: no \"keys\" array");
    }
    List<VerificationKey> keys = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Object entry : entries) {
      if (!(entry instanceof Map<?, ?> raw)) {
        skipped.add("a \"keys\" entry that is not an object");
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> params = (Map<String, Object>) raw;
      parseKey(params).ifPresentOrElse(keys::add, () -> skipped.add(describe(params)));
    }
    return new Parsed(keys, skipped);
  }

  /** One JWK as a verification key; empty when it is not a usable signature-verification key. */
  static Optional<VerificationKey> parseKey(Map<String, Object> params) {
    Object use = params.get(JsonWebKey.USE_PARAMETER);
    if (use != null && !"sig".equals(use)) {
      return Optional.empty();
    }
    try {
      JsonWebKey jwk = JsonWebKey.Factory.newJwk(params);
      Optional<Type> type = typeOf(jwk);
      if (type.isEmpty() || jwk.getPublicKey() == null || !onCurve(jwk)) {
        return Optional.empty();
      }
      Optional<Ed25519PublicKeyParameters> ed25519 =
          type.get() == Type.ED25519 ? Optional.of(ed25519(params)) : Optional.empty();
      return Optional.of(
          new VerificationKey(
              Optional.ofNullable(jwk.getKeyId()),
              Optional.ofNullable(jwk.getAlgorithm()),
              type.get(),
              jwk.getPublicKey(),
              ed25519,
              Optional.empty()));
    } catch (JoseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** kid, kty and use of a skipped key, for a log line; never key material. */
  static String describe(Map<String, Object> params) {
    return "kid="
        + params.get(JsonWebKey.KEY_ID_PARAMETER)
        + " kty="
        + params.get(JsonWebKey.KEY_TYPE_PARAMETER)
        + " use="
        + params.get(JsonWebKey.USE_PARAMETER)
        + " crv="
        + params.get("crv");
  }

  private static Optional<Type> typeOf(JsonWebKey jwk) {
    if (jwk instanceof OctetKeyPairJsonWebKey okp) {
      return OctetKeyPairJsonWebKey.SUBTYPE_ED25519.equals(okp.getSubtype())
          ? Optional.of(Type.ED25519)
          : Optional.empty();
    }
    if (jwk instanceof EllipticCurveJsonWebKey ec) {
      return switch (ec.getCurveName()) {
        case EllipticCurves.P_256 -> Optional.of(Type.EC_P256);
        case EllipticCurves.P_384 -> Optional.of(Type.EC_P384);
        case EllipticCurves.P_521 -> Optional.of(Type.EC_P521);
        default -> Optional.empty();
      };
    }
    return jwk instanceof RsaJsonWebKey ? Optional.of(Type.RSA) : Optional.empty();
  }

  /** An EC key's point must lie on its curve (jose4j and the JDK do not check this). */
  private static boolean onCurve(JsonWebKey jwk) {
    if (!(jwk instanceof EllipticCurveJsonWebKey ec)) {
      return true;
    }
    ECPoint w = ec.getECPublicKey().getW();
    try {
      NISTNamedCurves.getByName(ec.getCurveName())
          .getCurve()
          .validatePoint(w.getAffineX(), w.getAffineY());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Ed25519PublicKeyParameters ed25519(Map<String, Object> params) {
    // The raw 32-byte public key is the JWK's "x" (RFC 8037); BouncyCastle checks the point.
    return new Ed25519PublicKeyParameters(Base64Url.decode((String) params.get("x")));
  }
}
