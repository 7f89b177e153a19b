package dev.betterauthz.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.token.DbJwksSource.Columns;
import org.junit.jupiter.api.Test;

class DbJwksSourceColumnsTest {

  @Test
  void selectsOnlyThePublicColumns() {
    assertThat(Columns.pluralSnake().selectSql())
        .isEqualTo("SELECT id, public_key, alg, crv, expires_at FROM jwks")
        .doesNotContain("private");
    assertThat(Columns.betterAuthDefault().selectSql())
        .isEqualTo("SELECT \"id\", \"publicKey\", \"alg\", \"crv\", \"expiresAt\" FROM \"jwks\"");
  }

  @Test
  void followsTheSchemaNaming() {
    assertThat(Columns.of(SchemaNaming.PLURAL_SNAKE)).isEqualTo(Columns.pluralSnake());
    assertThat(Columns.of(SchemaNaming.BETTER_AUTH_DEFAULT)).isEqualTo(Columns.betterAuthDefault());
  }

  @Test
  void refusesNamesThatAreNotIdentifiers() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> new Columns("jwks; DROP TABLE users", "id", "public_key", "alg", "crv", "e"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Columns("jwks", "id, private_key", "public_key", "alg", "crv", "e"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Columns("\"a\"\"b\"", "id", "public_key", "alg", "crv", "e"));
  }
}
