package dev.betterauthz.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.testsupport.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Loads the compose demo's init SQL into a fresh database on the real PostgreSQL, in the order the
 * postgres image runs {@code /docker-entrypoint-initdb.d}, and checks what it produced.
 */
class ComposeInitSqlIT {
  private static final Path INITDB = Path.of("deploy/compose/initdb");

  private static String sql(String file) throws IOException {
    return Files.readString(INITDB.resolve(file));
  }

  @Test
  void initSqlBuildsTheDemoDatabase() throws IOException {
    String url =
        TestServices.createDatabase("compose_init", "/schema/better-auth-plural-snake.sql");
    TestServices.run(url, sql("02-authz-indexes.sql"));
    TestServices.run(url, sql("03-demo-data.sql"));
    String role = "better_authz_it_" + ProcessHandle.current().pid();
    TestServices.run(url, sql("04-readonly-role.sql").replace("better_authz", role));
    try {
      TestServices.run(
          url,
          """
          DO $$
          BEGIN
            IF (SELECT count(*) FROM pg_indexes WHERE indexname IN
                ('idx_users_role', 'idx_members_user_org', 'idx_members_organization_id_role')) <> 3
              THEN RAISE EXCEPTION 'ADR indexes missing'; END IF;
            IF (SELECT role FROM members WHERE user_id = 'u-dave' AND organization_id = 'org-acme')
                <> 'staff,viewer' THEN RAISE EXCEPTION 'multi-role member missing'; END IF;
            IF (SELECT count(*) FROM members WHERE user_id = 'u-carol') <> 2
              THEN RAISE EXCEPTION 'carol should be in two organizations'; END IF;
            IF NOT (SELECT banned FROM users WHERE id = 'u-eve')
              THEN RAISE EXCEPTION 'eve should be banned'; END IF;
            IF (SELECT role FROM users WHERE id = 'u-carol') IS NOT NULL
              THEN RAISE EXCEPTION 'carol keeps a NULL platform role'; END IF;
            IF (SELECT id FROM organizations WHERE slug = 'acme') <> 'org-acme'
              THEN RAISE EXCEPTION 'slug lookup'; END IF;
          END
          $$;
          """);
      String asRole = "SET ROLE " + role + "; ";
      TestServices.run(url, asRole + "SELECT count(*) FROM members");
      assertThatThrownBy(
              () -> TestServices.run(url, asRole + "DELETE FROM members WHERE id = 'm-1'"))
          .hasMessageContaining("permission denied");
    } finally {
      TestServices.run(url, "DROP OWNED BY " + role + "; DROP ROLE " + role);
    }
  }
}
