package dev.betterauthz.token;

import dev.betterauthz.config.AppConfig.JwtConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jose4j.lang.JoseException;

/**
 * Keys from the issuer's JWKS URL ({@code AUTHZ_JWKS_URL}, e.g. Better Auth's {@code
 * /api/auth/jwks}), fetched with the JDK {@link HttpClient} under {@code jwksFetchTimeout}. Only a
 * {@code 200} with a JWKS body counts as a successful fetch. Refresh rules: {@link
 * RefreshingKeySource}. Thread-safe.
 */
public final class HttpJwksSource extends RefreshingKeySource {
  /** A JWKS larger than this is refused (a handful of keys is a few kilobytes). */
  static final int MAX_JWKS_CHARS = 1 << 20;

  private final URI url;
  private final HttpClient client;

  /**
   * @throws IllegalArgumentException when the configuration has no JWKS URL ({@code db} mode)
   */
  public HttpJwksSource(JwtConfig config, Clock clock) {
    super(config, clock, "jwks-http");
    this.url =
        config
            .jwksUrl()
            .orElseThrow(() -> new IllegalArgumentException("no JWKS URL configured (db mode)"));
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(config.jwksFetchTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  protected CompletionStage<List<VerificationKey>> fetch() {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(config().jwksFetchTimeout())
            .header("Accept", "application/json")
            .GET()
            .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(this::parse);
  }

  private List<VerificationKey> parse(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new CompletionException(
          new IOException("JWKS answered HTTP " + response.statusCode() + " at " + url));
    }
    String body = response.body();
    if (body.length() > MAX_JWKS_CHARS) {
      throw new CompletionException(new IOException("JWKS larger than " + MAX_JWKS_CHARS));
    }
    try {
      return keep(JsonWebKeys.parseSet(body));
    } catch (JoseException e) {
      throw new CompletionException(new IOException("JWKS at " + url + " is not a key set", e));
    }
  }
}
