package dev.betterauthz.token;

import dev.betterauthz.config.AppConfig.JwtConfig;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.testsupport.MutableClock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.JsonWebKey;

/** A JWKS server, an {@link HttpJwksSource} reading it and a verifier, all on a mutable clock. */
final class VerifierFixture implements AutoCloseable {
  final MutableClock clock = new MutableClock(TestJwts.NOW);
  final JwksServer server;
  final JwtConfig config;
  final HttpJwksSource source;
  final Jose4jTokenVerifier verifier;

  VerifierFixture(List<? extends JsonWebKey> keys) throws Exception {
    server = new JwksServer();
    server.serve(keys);
    config = TestJwts.config(server.url());
    source = new HttpJwksSource(config, clock);
    source.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    verifier = new Jose4jTokenVerifier(config, source, clock);
  }

  TokenResult verify(String token) throws Exception {
    return verifier.verify(token).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The deny reason, or null when the token is valid. */
  DenyReason reasonOf(String token) throws Exception {
    return verify(token) instanceof TokenResult.Invalid invalid ? invalid.reason() : null;
  }

  VerifiedToken valid(String token) throws Exception {
    TokenResult result = verify(token);
    if (result instanceof TokenResult.Valid valid) {
      return valid.token();
    }
    throw new AssertionError("expected a valid token, got " + result);
  }

  @Override
  public void close() {
    source.close();
    server.close();
  }
}
