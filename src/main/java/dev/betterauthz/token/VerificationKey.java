package dev.betterauthz.token;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * One public key of the issuer, parsed once when the key set is loaded. Immutable.
 *
 * @param kid the JWK {@code kid}; empty only for a key set's sole key
 * @param alg the JWK {@code alg} the key is pinned to, if the JWKS (or the {@code jwks} table) says
 * @param type what the key is, which decides the algorithms it may verify
 * @param publicKey the JCA key (used by jose4j for RSA and EC)
 * @param ed25519 the BouncyCastle form of an Ed25519 key (fast verification); empty otherwise
 * @param notAfter the instant after which the key must no longer verify (the {@code jwks} table's
 *     {@code expires_at} plus grace); empty when the key does not expire
 */
public record VerificationKey(
    Optional<String> kid,
    Optional<String> alg,
    Type type,
    PublicKey publicKey,
    Optional<Ed25519PublicKeyParameters> ed25519,
    Optional<Instant> notAfter) {

  /** Key types this verifier accepts; anything else is skipped when the JWKS is parsed. */
  public enum Type {
    ED25519,
    EC_P256,
    EC_P384,
    EC_P521,
    RSA
  }

  public VerificationKey {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(alg, "alg");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(ed25519, "ed25519");
    Objects.requireNonNull(notAfter, "notAfter");
    if (type == Type.ED25519 && ed25519.isEmpty()) {
      throw new IllegalArgumentException("an Ed25519 key needs its BouncyCastle form");
    }
  }

  /** The modulus size of an RSA key; 0 for other types. */
  public int rsaBits() {
    return publicKey instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : 0;
  }

  /** False once {@link #notAfter()} has passed. */
  public boolean usableAt(Instant now) {
    return notAfter.isEmpty() || !now.isAfter(notAfter.get());
  }

  /** The same key with an expiry (used by the database source). */
  public VerificationKey withNotAfter(Optional<Instant> until) {
    return new VerificationKey(kid, alg, type, publicKey, ed25519, until);
  }

  /** Same material, same pinning: used to keep cached tokens valid across identical refreshes. */
  boolean sameAs(VerificationKey other) {
    return this == other
        || (type == other.type
            && kid.equals(other.kid)
            && alg.equals(other.alg)
            && notAfter.equals(other.notAfter)
            && publicKey.equals(other.publicKey));
  }
}
