package dev.betterauthz.hardening;

import dev.betterauthz.testsupport.TestIssuer;
import dev.betterauthz.testsupport.TokenRegistry;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hostile-token corpus: {@code authorization} header values an attacker can send, each named.
 * Cases marked "trusted" carry a valid signature by the real issuer key on a malformed or unusual
 * header or payload, so only the verifier's strictness stands between them and an allow; the others
 * are forged (no key, an attacker's key, HMAC with the public key) or malformed on the wire.
 */
final class HostileTokens {
  /** One case: a name for reports and the whole {@code authorization} header value. */
  record Case(String name, String authorization) {
    @Override
    public String toString() {
      return name; // NOTE: never the value, which may hold a token
    }
  }

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final TestIssuer issuer;
  private final String user;
  private final String jwksJson;
  private final KeyPair attacker;
  private final List<Case> cases = new ArrayList<>();

  private HostileTokens(TestIssuer issuer, String user, String jwksJson) throws Exception {
    this.issuer = issuer;
    this.user = user;
    this.jwksJson = jwksJson;
    this.attacker = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  /**
   * The corpus for {@code user} (an existing user, so a verifier bug would show as an allow).
   *
   * @param jwksJson the issuer's JWKS document (public), the HMAC secret of key-confusion cases
   */
  static List<Case> corpus(TestIssuer issuer, String user, String jwksJson) throws Exception {
    HostileTokens t = new HostileTokens(issuer, user, jwksJson);
    t.algorithmConfusion();
    t.keyIds();
    t.headers();
    t.shapes();
    t.claims();
    t.headerValues();
    return List.copyOf(t.cases);
  }

  private String kid() {
    return issuer.keyId();
  }

  private String claims(String extra) {
    long now = Instant.now().getEpochSecond();
    return "{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"%s\",\"iat\":%d,\"exp\":%d%s}"
        .formatted(issuer.origin(), issuer.origin(), user, now, now + 900, extra);
  }

  /** Claims without the given registered claim names, plus {@code extra} JSON members. */
  private String claimsRaw(String body) {
    return "{" + body + "}";
  }

  private String good() {
    return claims("");
  }

  private void add(String name, String authorization) {
    cases.add(new Case(name, authorization));
  }

  private void bearer(String name, String token) {
    add(name, "Bearer " + TokenRegistry.register(token));
  }

  private void algorithmConfusion() throws Exception {
    bearer("alg none, empty signature", unsigned("{\"alg\":\"none\"}", good()) + ".");
    bearer("alg None (case), empty signature", unsigned("{\"alg\":\"None\"}", good()) + ".");
    bearer("alg NONE with the kid", unsigned(hdr("NONE"), good()) + ".");
    String trusted = issuer.signRaw(hdr("EdDSA"), good());
    bearer(
        "alg none with a real signature",
        unsigned(hdr("none"), good()) + trusted.substring(trusted.lastIndexOf('.')));
    bearer("HS256 keyed with the JWKS document", hmac("HS256", "HmacSHA256", jwksJson));
    bearer("HS256 keyed with the public key x", hmac("HS256", "HmacSHA256", publicX()));
    bearer("HS512 keyed with the public key x", hmac("HS512", "HmacSHA512", publicX()));
    bearer("HS256 keyed with the kid", hmac("HS256", "HmacSHA256", kid()));
    bearer(
        "RS256 header on the Ed25519 key (trusted signature)",
        issuer.signRaw(hdr("RS256"), good()));
    bearer(
        "ES256 header on the Ed25519 key (trusted signature)",
        issuer.signRaw(hdr("ES256"), good()));
    bearer(
        "alg missing (trusted signature)", issuer.signRaw("{\"kid\":\"" + kid() + "\"}", good()));
    bearer(
        "alg a number (trusted signature)",
        issuer.signRaw("{\"alg\":1,\"kid\":\"" + kid() + "\"}", good()));
    bearer("EdDSA signed by an attacker key, real kid", attackerSigned(hdr("EdDSA"), good()));
  }

  private void keyIds() throws Exception {
    bearer("kid path traversal", attackerSigned(hdrKid("../../../../etc/passwd"), good()));
    bearer("kid url-encoded traversal", attackerSigned(hdrKid("..%2f..%2fjwks"), good()));
    bearer("kid SQL injection", attackerSigned(hdrKid("x' OR '1'='1"), good()));
    bearer("kid 4000 characters", attackerSigned(hdrKid("k".repeat(4000)), good()));
    bearer("kid with NUL and CRLF", attackerSigned(hdrKid("a\\u0000b\\r\\nc"), good()));
    bearer("kid empty string", attackerSigned(hdrKid(""), good()));
    bearer("kid a number", attackerSigned("{\"alg\":\"EdDSA\",\"kid\":12345}", good()));
    bearer("kid missing, attacker key", attackerSigned("{\"alg\":\"EdDSA\"}", good()));
    bearer(
        "kid missing, attacker key embedded as jwk",
        attackerSigned(
            "{\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
                + attackerX()
                + "\"}}",
            good()));
    bearer(
        "jku pointing elsewhere, unknown kid",
        attackerSigned(
            "{\"alg\":\"EdDSA\",\"kid\":\"evil\",\"jku\":\"http://127.0.0.1:1/jwks\"}", good()));
  }

  private void headers() throws Exception {
    String k = kid();
    bearer(
        "crit header (trusted signature)",
        issuer.signRaw(
            "{\"alg\":\"EdDSA\",\"kid\":\"" + k + "\",\"crit\":[\"exp\"],\"exp\":1}", good()));
    bearer(
        "b64 false (trusted signature)",
        issuer.signRaw("{\"alg\":\"EdDSA\",\"kid\":\"" + k + "\",\"b64\":false}", good()));
    bearer(
        "nested JWT, cty JWT (trusted signature)",
        issuer.signRaw(
            "{\"alg\":\"EdDSA\",\"kid\":\"" + k + "\",\"cty\":\"JWT\"}",
            "\"" + issuer.mint(user, java.util.Map.of()) + "\""));
    bearer(
        "duplicate alg in header, none last (trusted signature)",
        issuer.signRaw("{\"alg\":\"EdDSA\",\"kid\":\"" + k + "\",\"alg\":\"none\"}", good()));
    bearer(
        "typ JWE, attacker key",
        attackerSigned("{\"alg\":\"EdDSA\",\"kid\":\"" + k + "\",\"typ\":\"JWE\"}", good()));
    bearer("header a JSON array (trusted signature)", issuer.signRaw("[\"EdDSA\"]", good()));
    bearer("header not JSON", unsigned("not json", good()) + ".c2ln");
  }

  private void shapes() {
    String valid = issuer.mint(user, java.util.Map.of());
    String[] p = valid.split("\\.");
    bearer("JWE compact, five parts", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d");
    bearer("JWE dir, five parts", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y3Q.dGFn");
    bearer("two parts (signature dropped with its dot)", p[0] + "." + p[1]);
    bearer("signature stripped", p[0] + "." + p[1] + ".");
    bearer("signature truncated", p[0] + "." + p[1] + "." + p[2].substring(0, 40));
    bearer("four parts (valid token plus a dot)", valid + ".");
    bearer(
        "payload swapped, signature kept",
        p[0] + "." + b64(claims(",\"role\":\"admin\"")) + "." + p[2]);
    bearer("base64 padding in a part", p[0] + "=." + p[1] + "." + p[2]);
    bearer(
        "standard base64 alphabet",
        p[0] + "." + p[1] + "." + p[2].replace('-', '+').replace('_', '/') + "+/");
    bearer("100 KB token", p[0] + "." + "A".repeat(100_000) + "." + p[2]);
    bearer("1 MB token", p[0] + "." + "A".repeat(1_000_000) + "." + p[2]);
    bearer("empty parts", "..");
  }

  private void claims() {
    String h = hdr("EdDSA");
    long now = Instant.now().getEpochSecond();
    String iss = "\"iss\":\"" + issuer.origin() + "\",\"aud\":\"" + issuer.origin() + "\"";
    bearer("payload not JSON (trusted signature)", issuer.signRaw(h, "not json"));
    bearer("payload a JSON array (trusted signature)", issuer.signRaw(h, "[1,2]"));
    bearer(
        "duplicate sub (trusted signature)",
        issuer.signRaw(
            h,
            claimsRaw(
                iss + ",\"sub\":\"someone\",\"sub\":\"" + user + "\",\"exp\":" + (now + 900))));
    bearer(
        "duplicate exp, expired last (trusted signature)",
        issuer.signRaw(h, claims(",\"exp\":" + (now - 3600))));
    bearer(
        "sub a number (trusted signature)",
        issuer.signRaw(h, claimsRaw(iss + ",\"sub\":123,\"exp\":" + (now + 900))));
    bearer(
        "sub an object (trusted signature)",
        issuer.signRaw(
            h, claimsRaw(iss + ",\"sub\":{\"id\":\"" + user + "\"},\"exp\":" + (now + 900))));
    bearer(
        "sub empty (trusted signature)",
        issuer.signRaw(h, claimsRaw(iss + ",\"sub\":\"\",\"exp\":" + (now + 900))));
    bearer(
        "sub missing (trusted signature)",
        issuer.signRaw(h, claimsRaw(iss + ",\"exp\":" + (now + 900))));
    bearer(
        "exp a string (trusted signature)",
        issuer.signRaw(
            h, claimsRaw(iss + ",\"sub\":\"" + user + "\",\"exp\":\"" + (now + 900) + "\"")));
    bearer(
        "exp Long.MAX_VALUE (trusted signature)",
        issuer.signRaw(
            h, claimsRaw(iss + ",\"sub\":\"" + user + "\",\"exp\":9223372036854775807")));
    bearer(
        "exp 1e300 (trusted signature)",
        issuer.signRaw(h, claimsRaw(iss + ",\"sub\":\"" + user + "\",\"exp\":1e300")));
    bearer(
        "exp beyond Long (trusted signature)",
        issuer.signRaw(
            h, claimsRaw(iss + ",\"sub\":\"" + user + "\",\"exp\":99999999999999999999999")));
    bearer(
        "exp missing (trusted signature)",
        issuer.signRaw(h, claimsRaw(iss + ",\"sub\":\"" + user + "\"")));
    bearer(
        "expired an hour ago (trusted signature)",
        issuer.signRaw(h, claimsRaw(iss + ",\"sub\":\"" + user + "\",\"exp\":" + (now - 3600))));
    bearer(
        "nbf in a day (trusted signature)",
        issuer.signRaw(h, claims(",\"nbf\":" + (now + 86_400))));
    bearer(
        "wrong iss (trusted signature)",
        issuer.signRaw(
            h,
            claimsRaw(
                "\"iss\":\"https://evil.example\",\"aud\":\""
                    + issuer.origin()
                    + "\",\"sub\":\""
                    + user
                    + "\",\"exp\":"
                    + (now + 900))));
    bearer(
        "wrong aud (trusted signature)",
        issuer.signRaw(
            h,
            claimsRaw(
                "\"iss\":\""
                    + issuer.origin()
                    + "\",\"aud\":\"https://evil.example\",\"sub\":\""
                    + user
                    + "\",\"exp\":"
                    + (now + 900))));
    bearer(
        "aud missing (trusted signature)",
        issuer.signRaw(
            h,
            claimsRaw(
                "\"iss\":\""
                    + issuer.origin()
                    + "\",\"sub\":\""
                    + user
                    + "\",\"exp\":"
                    + (now + 900))));
    bearer(
        "huge claims over the size limit (trusted signature)",
        issuer.signRaw(h, claims(",\"pad\":\"" + "x".repeat(20_000) + "\"")));
    bearer(
        "deeply nested claim (trusted signature)",
        issuer.signRaw(h, claims(",\"deep\":" + "[".repeat(3000) + "]".repeat(3000))));
  }

  private void headerValues() {
    String valid = issuer.mint(user, java.util.Map.of());
    add("Basic scheme", "Basic dXNlcjpwYXNzd29yZA==");
    add("Token scheme with a valid JWT", "Token " + valid);
    add("DPoP scheme with a valid JWT", "DPoP " + valid);
    add("two Authorization headers (joined by Envoy)", "Bearer " + valid + ",Bearer " + valid);
    add("Bearer then Basic (joined by Envoy)", "Bearer " + valid + ",Basic dXNlcjpw");
    add("two spaces after Bearer", "Bearer  " + valid);
    add("tab after Bearer", "Bearer\t" + valid);
    add("Bearer without a token", "Bearer");
    add("trailing garbage after the token", "Bearer " + valid + " x");
    add("quoted token", "Bearer \"" + valid + "\"");
    add("non-ASCII in the token", "Bearer " + valid.substring(0, 20) + "é" + valid.substring(20));
  }

  private String hdr(String alg) {
    return "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid() + "\"}";
  }

  private static String hdrKid(String kid) {
    return "{\"alg\":\"EdDSA\",\"kid\":\"" + kid + "\"}";
  }

  private static String b64(String text) {
    return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String unsigned(String header, String payload) {
    return b64(header) + "." + b64(payload);
  }

  private String hmac(String alg, String javaName, String secret) throws Exception {
    String input = unsigned(hdr(alg), good());
    Mac mac = Mac.getInstance(javaName);
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), javaName));
    return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private String attackerSigned(String header, String payload) throws Exception {
    String input = unsigned(header, payload);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(attacker.getPrivate());
    signer.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encodeToString(signer.sign());
  }

  private String publicX() {
    int at = jwksJson.indexOf("\"x\":\"") + 5;
    return jwksJson.substring(at, jwksJson.indexOf('"', at));
  }

  private String attackerX() {
    byte[] encoded = attacker.getPublic().getEncoded();
    byte[] raw = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    return B64.encodeToString(raw);
  }
}
