package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.pipeline.CredentialAuthenticator;
import dev.betterauthz.token.DbJwksSource;
import dev.betterauthz.token.HttpJwksSource;
import dev.betterauthz.token.Jose4jTokenVerifier;
import dev.betterauthz.token.KeySource;
import dev.betterauthz.token.PgSessionRepository;
import dev.betterauthz.token.SessionOptions;
import dev.betterauthz.token.SessionTokenVerifier;
import java.time.Clock;
import java.util.Optional;

/**
 * How callers prove who they are: the JWKS (from the issuer's URL or the {@code jwks} table), the
 * JWT verifier with its verified-token cache and, when a Better Auth secret is set, session tokens.
 */
final class Credentials implements AutoCloseable {
  static final long SESSION_CACHE_ENTRIES = 100_000;

  final KeySource keys;
  final Jose4jTokenVerifier jwt;
  final Optional<SessionTokenVerifier> sessions;
  final CredentialAuthenticator authenticator;

  Credentials(AppConfig config, Backends backends, Clock clock) {
    this.keys =
        config.jwt().jwksFromDatabase()
            ? new DbJwksSource(
                config.jwt(),
                backends.pool,
                DbJwksSource.Columns.of(config.database().naming()),
                DbJwksSource.DEFAULT_GRACE,
                clock)
            : new HttpJwksSource(config.jwt(), clock);
    this.jwt = new Jose4jTokenVerifier(config.jwt(), keys, clock);
    this.sessions =
        config.session().enabled()
            ? Optional.of(
                new SessionTokenVerifier(
                    new PgSessionRepository(
                        backends.pool,
                        PgSessionRepository.Names.of(config.database().naming()),
                        config.database().queryTimeout()),
                    SessionOptions.of(
                        config.session(), config.jwt().orgClaim(), SESSION_CACHE_ENTRIES)))
            : Optional.empty();
    this.authenticator =
        new CredentialAuthenticator(jwt, sessions, config.session().cookiePrefix());
  }

  @Override
  public void close() {
    keys.close();
  }
}
