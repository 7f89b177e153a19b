package dev.betterauthz.token;

import dev.betterauthz.token.VerificationKey.Type;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * The JWS algorithms this verifier supports, each bound to the only key type it may be used with
 * (so an {@code RS256} header can never make an EC or OKP key verify, and no HMAC or {@code none}
 * exists at all). RSA keys must have at least 2048 bits.
 */
enum SignatureAlgorithm {
  EDDSA("EdDSA", Type.ED25519),
  ES256("ES256", Type.EC_P256),
  ES384("ES384", Type.EC_P384),
  ES512("ES512", Type.EC_P521),
  RS256("RS256", Type.RSA),
  RS384("RS384", Type.RSA),
  RS512("RS512", Type.RSA),
  PS256("PS256", Type.RSA),
  PS384("PS384", Type.RSA),
  PS512("PS512", Type.RSA);

  static final int MIN_RSA_BITS = 2048;

  private final String jwsName;
  private final Type keyType;

  SignatureAlgorithm(String jwsName, Type keyType) {
    this.jwsName = jwsName;
    this.keyType = keyType;
  }

  /** The {@code alg} header value. */
  String jwsName() {
    return jwsName;
  }

  /** The algorithm named by an {@code alg} header value (case-sensitive, as RFC 7515 says). */
  static Optional<SignatureAlgorithm> byName(String name) {
    for (SignatureAlgorithm alg : values()) {
      if (alg.jwsName.equals(name)) {
        return Optional.of(alg);
      }
    }
    return Optional.empty();
  }

  /** True for {@code none} and every HMAC name: refused whatever the configuration says. */
  static boolean isForbidden(String name) {
    return "none".equalsIgnoreCase(name) || name.toUpperCase(Locale.ROOT).startsWith("HS");
  }

  /**
   * True when this algorithm may be used with the key: right key type (and curve), RSA of at least
   * 2048 bits, and the key's own {@code alg} pin, if any, equal to this algorithm.
   */
  boolean fits(VerificationKey key) {
    return key.type() == keyType
        && (keyType != Type.RSA || key.rsaBits() >= MIN_RSA_BITS)
        && key.alg().map(jwsName::equals).orElse(true);
  }

  /**
   * Verifies the signature. Ed25519 goes through BouncyCastle's lightweight signer (about 10x
   * faster than the JDK provider); the others through jose4j, constrained to this one algorithm.
   */
  boolean verify(CompactJws jws, VerificationKey key) {
    if (this == EDDSA) {
      Ed25519Signer signer = new Ed25519Signer();
      signer.init(false, key.ed25519().orElseThrow());
      byte[] input = jws.signingInput();
      signer.update(input, 0, input.length);
      return signer.verifySignature(jws.signature());
    }
    try {
      JsonWebSignature signature = new JsonWebSignature();
      signature.setAlgorithmConstraints(
          new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, jwsName));
      signature.setCompactSerialization(jws.compact());
      signature.setKey(key.publicKey());
      return signature.verifySignature();
    } catch (JoseException e) {
      return false;
    }
  }
}
