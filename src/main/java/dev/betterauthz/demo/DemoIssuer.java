package dev.betterauthz.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Plays Better Auth's jwt plugin for the demos (never for production): generates an Ed25519 key,
 * writes its public half as Better Auth stores it in the {@code jwks} table, and mints one token
 * per user shaped like Better Auth's (header {@code alg: EdDSA} + {@code kid}, no {@code typ};
 * {@code iss} = {@code aud} = the issuer; {@code sub}, {@code id}, {@code name}, {@code email},
 * {@code emailVerified}). The private key lives only in this process and is discarded.
 *
 * <p>Writes into {@code --out}: {@code kid} (the key id, which is the {@code jwks.id} row id),
 * {@code public-key.json} (the {@code jwks.public_key} value) and {@code <userId>.jwt} for each
 * user (owner-only permissions). Tokens are never printed.
 *
 * <pre>{@code
 * java -cp better-authz.jar dev.betterauthz.demo.DemoIssuer \
 *     --out /tmp/demo --issuer http://better-auth.demo --ttl PT12H u-alice u-bob
 * }</pre>
 */
@Command(
    name = "demo-issuer",
    mixinStandardHelpOptions = true,
    description = "Mints demo-only Better Auth-shaped JWTs and writes the public key.")
public final class DemoIssuer implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "Directory for kid, key and tokens.")
  private Path out;

  @Option(names = "--issuer", required = true, description = "iss and aud of every token.")
  private String issuer;

  @Option(
      names = "--ttl",
      defaultValue = "PT12H",
      description = "Token lifetime (ISO-8601 duration, default ${DEFAULT-VALUE}).")
  private Duration ttl;

  @Option(names = "--kid", description = "Key id (default: demo-<random>).")
  private String kid;

  @Parameters(arity = "1..*", paramLabel = "USER_ID", description = "users.id of each token.")
  private List<String> users;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoIssuer()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    OctetKeyPairJsonWebKey key =
        OkpJwkGenerator.generateJwk(OctetKeyPairJsonWebKey.SUBTYPE_ED25519);
    key.setKeyId(kid == null ? "demo-" + UUID.randomUUID() : kid);
    Files.createDirectories(out);
    write("kid", key.getKeyId());
    write("public-key.json", publicKeyJson(key));
    Instant now = Instant.now();
    for (String user : users) {
      write(user + ".jwt", mint(key, user, now));
    }
    System.out.println(
        "demo issuer: key " + key.getKeyId() + ", " + users.size() + " tokens in " + out);
    return 0;
  }

  /** The public JWK without {@code kid}: Better Auth keeps the key id in the row's {@code id}. */
  static String publicKeyJson(OctetKeyPairJsonWebKey key) {
    OctetKeyPairJsonWebKey copy = (OctetKeyPairJsonWebKey) copyPublic(key);
    copy.setKeyId(null);
    return copy.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
  }

  private static JsonWebKey copyPublic(OctetKeyPairJsonWebKey key) {
    try {
      return JsonWebKey.Factory.newJwk(key.getPublicKey());
    } catch (JoseException e) {
      throw new IllegalStateException("cannot copy the public key", e);
    }
  }

  private String mint(OctetKeyPairJsonWebKey key, String user, Instant now) throws JoseException {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(issuer);
    claims.setAudience(issuer);
    claims.setSubject(user);
    claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
    claims.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
    String name = user.replaceFirst("^u-", "");
    claims.setClaim("id", user);
    claims.setClaim("name", name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1));
    claims.setClaim("email", name + "@demo.test");
    claims.setClaim("emailVerified", true);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
    jws.setKeyIdHeaderValue(key.getKeyId());
    jws.setKey(key.getPrivateKey());
    return jws.getCompactSerialization();
  }

  private void write(String file, String content) throws java.io.IOException {
    Path path = out.resolve(file);
    Files.deleteIfExists(path);
    Files.createFile(
        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(path, content + "\n", StandardCharsets.UTF_8);
  }
}
