package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.tenancy.Consistency;
import dev.betterauthz.testsupport.SamplePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {
  static final String SAMPLE = SamplePolicy.DESIGN;

  @Test
  void parsesTheDesignSample() throws PolicyException {
    Policy policy = PolicyLoader.parse(SAMPLE, "policy.yaml");

    assertThat(policy.routes().routes())
        .extracting(Route::name)
        .containsExactly(
            "health",
            "approve-leave",
            "read-leave",
            "org-settings",
            "my-org-leave",
            "by-slug",
            "me");
    assertThat(policy.defaultAllow()).isFalse();
    assertThat(policy.source()).isEqualTo("policy.yaml");
    assertThat(policy.warnings()).isEmpty();
    assertThat(route(policy, "health"))
        .isEqualTo(
            new Route(
                "health",
                Set.of(),
                Route.Access.PUBLIC,
                Optional.empty(),
                List.of(),
                Consistency.CACHED,
                false));
    assertThat(route(policy, "approve-leave"))
        .isEqualTo(
            new Route(
                "approve-leave",
                Set.of("POST"),
                Route.Access.PERMISSIONS,
                Optional.of(new TenantSource(TenantSource.Kind.PATH, "org", false)),
                List.of("leave:approve"),
                Consistency.CACHED,
                false));
    assertThat(route(policy, "read-leave").consistency()).isEqualTo(Consistency.CLAIMS);
    assertThat(route(policy, "org-settings").tenant())
        .contains(new TenantSource(TenantSource.Kind.HEADER, "x-org-id", false));
    assertThat(route(policy, "org-settings").consistency()).isEqualTo(Consistency.STRONG);
    assertThat(route(policy, "my-org-leave").tenant())
        .contains(new TenantSource(TenantSource.Kind.CLAIM, "organizationId", false));
    assertThat(route(policy, "by-slug").tenant())
        .contains(new TenantSource(TenantSource.Kind.PATH, "org", true));
    assertThat(route(policy, "me").access()).isEqualTo(Route.Access.AUTHENTICATED);
    assertThat(route(policy, "me").methods()).isEmpty();
  }

  @Test
  void sampleRolesGrantAsWritten() throws PolicyException {
    Policy policy = PolicyLoader.parse(SAMPLE, "policy.yaml");

    assertThat(policy.memberPermissions(List.of("staff")).grants("leave:approve")).isTrue();
    assertThat(policy.memberPermissions(List.of("viewer")).grants("leave:approve")).isFalse();
    assertThat(policy.memberPermissions(List.of("admin")).grants("member:remove")).isTrue();
    assertThat(policy.memberPermissions(List.of("owner")).grants("anything:at_all")).isTrue();
    assertThat(policy.platformPermissions(List.of("superadmin")).grants("leave:read")).isTrue();
    assertThat(policy.platformPermissions(List.of("user")).isEmpty()).isTrue();
  }

  @Test
  void sampleRoutesMatchRequests() throws PolicyException {
    RouteTable table = PolicyLoader.parse(SAMPLE, "policy.yaml").routes();

    RouteMatch approve = table.match("POST", "/api/orgs/acme/leave/42/approve").orElseThrow();
    assertThat(approve.route().name()).isEqualTo("approve-leave");
    assertThat(approve.pathParams()).isEqualTo(Map.of("org", "acme", "id", "42"));
    assertThat(table.match("GET", "/api/orgs/acme/leave/42/approve").orElseThrow().route().name())
        .isEqualTo("read-leave");
    assertThat(table.match("GET", "/o/acme/").orElseThrow().pathParams())
        .isEqualTo(Map.of("org", "acme"));
    assertThat(table.match("GET", "/o/acme")).isEmpty();
    assertThat(table.match("DELETE", "/api/me/sessions").orElseThrow().route().name())
        .isEqualTo("me");
    assertThat(table.match("GET", "/api/meow")).isEmpty();
    assertThat(table.byName("org-settings")).isPresent();
  }

  @Test
  void acceptsLowerCaseMethodsAndStoresHeadersLowerCase() throws PolicyException {
    Policy policy =
        PolicyLoader.parse(
            """
            routes:
              - name: r
                match: { methods: [get, Post], path: /x }
                tenant: { header: X-Org-ID }
                authenticated: true
            """,
            "p.yaml");

    Route route = route(policy, "r");
    assertThat(route.methods()).containsExactlyInAnyOrder("GET", "POST");
    assertThat(route.tenant())
        .contains(new TenantSource(TenantSource.Kind.HEADER, "x-org-id", false));
  }

  @Test
  void allowsAnEmptyRouteListAndUnknownRoleNames() throws PolicyException {
    Policy policy =
        PolicyLoader.parse(
            "roles: { 'Some Role!': ['a:b'] }\nroutes: []\ndefault: allow\n", "p.yaml");

    assertThat(policy.routes().routes()).isEmpty();
    assertThat(policy.defaultAllow()).isTrue();
    assertThat(policy.memberPermissions(List.of("Some Role!")).grants("a:b")).isTrue();
  }

  @Test
  void warnsWithoutFailingWhenNoRoleGrantsARequiredPermission() throws PolicyException {
    Policy policy =
        PolicyLoader.parse(
            """
            roles: { viewer: ["leave:read"] }
            routes:
              - name: approve
                match: { path: /a }
                require: ["leave:read", "leave:approve"]
            """,
            "p.yaml");

    assertThat(policy.warnings())
        .containsExactly(
            "p.yaml:5:29: routes[0] (approve) require[1]: 'leave:approve' is granted by no role"
                + " in roles or platformRoles");
  }

  @Test
  void warnsAboutClaimsConsistencyWithoutATenant() throws PolicyException {
    Policy policy =
        PolicyLoader.parse(
            "routes:\n  - name: me\n    match: { path: /me }\n    authenticated: true\n"
                + "    consistency: claims\n",
            "p.yaml");

    assertThat(policy.warnings()).singleElement().asString().contains("p.yaml:5:18");
  }

  @Test
  void loadsFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, SAMPLE);

    Policy policy = PolicyLoader.load(file);

    assertThat(policy.routes().routes()).hasSize(7);
    assertThat(policy.source()).isEqualTo(file.toString());
  }

  @Test
  void reportsAMissingFile(@TempDir Path dir) {
    Path file = dir.resolve("absent.yaml");

    assertThatThrownBy(() -> PolicyLoader.load(file))
        .isInstanceOf(PolicyException.class)
        .hasMessage(file + ": file not found");
  }

  @Test
  void rejectsInvalidUtf8(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.write(file, new byte[] {'r', 'o', (byte) 0xc0, (byte) 0xae});

    assertThatThrownBy(() -> PolicyLoader.load(file)).hasMessageContaining("not valid UTF-8");
  }

  private static Route route(Policy policy, String name) {
    return policy.routes().byName(name).orElseThrow();
  }
}
