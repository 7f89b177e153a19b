package dev.betterauthz.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PgDynamicRoleRepositoryTest {

  @Test
  void turnsPermissionJsonIntoGrants() {
    assertThat(
            PgDynamicRoleRepository.parsePermissions(
                "{\"leave\":[\"read\",\"approve\"],\"member\":[\"create\"]}"))
        .contains(List.of("leave:read", "leave:approve", "member:create"));
    assertThat(PgDynamicRoleRepository.parsePermissions("{}")).contains(List.of());
  }

  @Test
  void rejectsEverythingElse() {
    for (String bad :
        List.of(
            "",
            "not json",
            "[]",
            "\"leave\"",
            "{\"leave\":\"read\"}",
            "{\"leave\":[1]}",
            "{\"leave\":[\"read\"]",
            "null")) {
      assertThat(PgDynamicRoleRepository.parsePermissions(bad)).as(bad).isEmpty();
    }
    assertThat(PgDynamicRoleRepository.parsePermissions(null)).isEmpty();
  }
}
