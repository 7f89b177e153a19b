/**
 * Credential verification (DESIGN.md §2 step 2): {@link dev.betterauthz.token.BearerTokens} takes
 * the compact JWS out of an {@code authorization} header, {@link
 * dev.betterauthz.token.Jose4jTokenVerifier} checks it strictly (size, compact form, algorithm
 * bound to the key, signature with BouncyCastle for Ed25519, {@code iss}/{@code aud}/{@code
 * exp}/{@code nbf}/{@code sub}) and caches verified tokens until their {@code exp}, and a {@link
 * dev.betterauthz.token.KeySource} supplies the issuer's public keys from its JWKS URL ({@link
 * dev.betterauthz.token.HttpJwksSource}) or Better Auth's {@code jwks} table ({@link
 * dev.betterauthz.token.DbJwksSource}), refreshed in the background with a rate-limited refetch on
 * an unknown {@code kid}. Every failure is a {@link dev.betterauthz.token.TokenResult.Invalid}
 * value; nothing here logs a token.
 */
package dev.betterauthz.token;
