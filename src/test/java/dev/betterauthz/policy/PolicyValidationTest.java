package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each validation rule of the policy loader, with the exact place it reports. */
class PolicyValidationTest {

  @Test
  void suggestsTheKeyMeantForANearMiss() {
    List<String> errors =
        errorsOf(
            """
            routes:
              - name: r
                match: { path: /a }
                requires: ["a:b"]
            """);

    assertThat(errors)
        .contains(
            "p.yaml:4:5: routes[0] (r) requires: unknown key 'requires' (did you mean 'require'?)");
  }

  @Test
  void listsTheExpectedKeysForAFarMiss() {
    assertThat(errorsOf("roles: {}\nbananas: 1\n"))
        .containsExactly(
            "p.yaml:2:1: bananas: unknown key 'bananas' (expected one of roles, platformRoles,"
                + " routes, default)");
  }

  @Test
  void reportsWrongTypes() {
    List<String> errors =
        errorsOf(
            """
            routes:
              - name: r
                match: { methods: GET, path: /a }
                public: "yes"
            """);

    assertThat(errors)
        .containsExactly(
            "p.yaml:3:23: routes[0] (r) match.methods: expected a list, found value 'GET'",
            "p.yaml:4:13: routes[0] (r) public: expected true or false, found value 'yes'");
  }

  @Test
  void reportsDuplicateRouteNames() {
    List<String> errors =
        errorsOf(
            """
            routes:
              - { name: a, match: { path: /a }, public: true }
              - { name: a, match: { path: /b }, public: true }
            """);

    assertThat(errors).containsExactly("p.yaml:3:13: routes[1] (a) name: duplicate route name 'a'");
  }

  @Test
  void reportsDuplicateYamlKeys() {
    List<String> errors =
        errorsOf(
            """
            routes:
              - name: a
                match: { path: /a }
                public: true
                name: b
            """);

    assertThat(errors).containsExactly("p.yaml:5:5: routes[0] (a) name: duplicate key 'name'");
  }

  @Test
  void rejectsPublicTogetherWithOtherAccess() {
    List<String> errors =
        errorsOf(
            """
            routes:
              - name: a
                match: { path: "/o/{org}" }
                public: true
                authenticated: true
                tenant: { path: org }
                require: ["a:b"]
            """);

    assertThat(errors)
        .containsExactly(
            "p.yaml:5:20: routes[0] (a) authenticated: a public route cannot also have"
                + " 'authenticated'",
            "p.yaml:7:14: routes[0] (a) require: a public route cannot also have 'require'",
            "p.yaml:6:13: routes[0] (a) tenant: a public route cannot also have 'tenant'");
  }

  @Test
  void rejectsWildcardsAndMalformedPermissionsInRequire() {
    List<String> errors =
        errorsOf(
            """
            routes:
              - name: a
                match: { path: /a }
                require: ["leave:*", "*", "leave", "leave:read"]
            """);

    assertThat(errors)
        .containsExactly(
            "p.yaml:4:15: routes[0] (a) require[0]: 'leave:*' is a wildcard; require takes"
                + " concrete permissions (resource:action); wildcards are for roles",
            "p.yaml:4:26: routes[0] (a) require[1]: '*' is a wildcard; require takes concrete"
                + " permissions (resource:action); wildcards are for roles",
            "p.yaml:4:31: routes[0] (a) require[2]: 'leave' is not a permission"
                + " (resource:action)");
  }

  @Test
  void rejectsInvalidGrants() {
    List<String> errors =
        errorsOf(
            """
            roles:
              admin: ["leave:*", "le ave:read", "*:read"]
            platformRoles:
              admin: "*"
            """);

    assertThat(errors)
        .containsExactly(
            "p.yaml:2:22: roles.admin[1]: 'le ave:read' is not a grant ('*', 'resource:*' or"
                + " 'resource:action')",
            "p.yaml:2:37: roles.admin[2]: '*:read' is not a grant ('*', 'resource:*' or"
                + " 'resource:action')",
            "p.yaml:4:10: platformRoles.admin: expected a list, found value '*'");
  }

  @Test
  void rejectsATenantParameterMissingFromThePattern() {
    List<String> errors =
        errorsOf(
            """
            routes:
              - name: a
                match: { prefix: "/orgs/{org}" }
                tenant: { path: organization, by: name }
                require: ["a:b"]
            """);

    assertThat(errors)
        .containsExactly(
            "p.yaml:4:39: routes[0] (a) tenant.by: 'name' must be one of id, slug",
            "p.yaml:4:21: routes[0] (a) tenant.path: 'organization' is not a parameter of the"
                + " route's pattern [org]");
  }

  @Test
  void requiresExactlyOneTenantSourceAndOneMatchKind() {
    List<String> errors =
        errorsOf(
            """
            routes:
              - name: a
                match: { path: /a, prefix: /a }
                tenant: { header: x-org, claim: org }
                require: ["a:b"]
              - name: b
                match: { methods: [FETCH] }
                authenticated: true
            """);

    assertThat(errors)
        .containsExactly(
            "p.yaml:3:12: routes[0] (a) match: needs exactly one of 'path' (exact) or 'prefix'",
            "p.yaml:4:13: routes[0] (a) tenant: needs exactly one of 'path', 'header' or 'claim'",
            "p.yaml:7:24: routes[1] (b) match.methods[0]: 'FETCH' is not one of GET, POST, PUT,"
                + " PATCH, DELETE, HEAD, OPTIONS",
            "p.yaml:7:12: routes[1] (b) match: needs exactly one of 'path' (exact) or 'prefix'");
  }

  @Test
  void rejectsBadNamesPatternsAndDefault() {
    List<String> errors =
        errorsOf(
            """
            routes:
              - name: Bad Name
                match: { path: "/a/../b" }
                public: true
              - match: { path: "/x{id}" }
                public: true
            default: maybe
            """);

    assertThat(errors)
        .containsExactly(
            "p.yaml:2:11: routes[0] (Bad Name) name: 'Bad Name' must match [a-z0-9_.-]+",
            "p.yaml:3:20: routes[0] (Bad Name) match.path: '/a/../b' is not a normalized path"
                + " (requests are matched after normalization, see docs/path-normalization.md),"
                + " so it would never match",
            "p.yaml:5:5: routes[1]: missing 'name'",
            "p.yaml:5:20: routes[1].match.path: '/x{id}' 'x{id}': a {param} must be a whole"
                + " segment named [A-Za-z0-9_]",
            "p.yaml:7:10: default: 'maybe' must be allow or deny");
  }

  @Test
  void reportsSeveralErrorsTogetherOnePerLine() {
    PolicyException e =
        catchThrowableOfType(
            PolicyException.class,
            () ->
                PolicyLoader.parse(
                    """
                    roles: { staff: ["leave:read"] }
                    routes:
                      - name: read
                        match: { path: /r }
                        require: ["leave:read"]
                      - name: approve-leave
                        match: { path: "/api/orgs/{org}/leave/{id}/approve" }
                        tenant: { path: orgg }
                        require: ["leave:*"]
                    default: deny
                    """,
                    "policy.yaml"));

    assertThat(e.errors()).hasSize(2);
    assertThat(e.errors().get(0).line()).isEqualTo(8);
    assertThat(e.errors().get(0).path()).isEqualTo("routes[1].tenant.path");
    assertThat(e.errors().get(1).route()).contains("approve-leave");
    assertThat(e.getMessage())
        .isEqualTo(
            "policy.yaml:8:21: routes[1] (approve-leave) tenant.path: 'orgg' is not a parameter of"
                + " the route's pattern [org, id]\n"
                + "policy.yaml:9:15: routes[1] (approve-leave) require[0]: 'leave:*' is a"
                + " wildcard; require takes concrete permissions (resource:action); wildcards are"
                + " for roles");
  }

  @Test
  void rejectsCustomTagsAndMergeKeys() {
    assertThat(errorsOf("roles: !!python/object:os.system { a: [] }\n"))
        .containsExactly(
            "p.yaml:1:8: invalid YAML: Global tag is not allowed:"
                + " tag:yaml.org,2002:python/object:os.system");
    assertThat(errorsOf("roles: !local { a: [] }\n"))
        .containsExactly("p.yaml:1:8: roles: tag !local is not allowed in a policy file");
    assertThat(errorsOf("base: &b { x: 1 }\nroles:\n  <<: *b\n"))
        .anySatisfy(error -> assertThat(error).contains("<<"));
  }

  @Test
  void refusesAYamlBomb() {
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [");
      bomb.append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
    }

    assertThat(errorsOf(bomb.toString()))
        .singleElement()
        .asString()
        .contains("invalid YAML")
        .containsIgnoringCase("alias");
  }

  @Test
  void refusesAnOversizedDocument() {
    String huge = "roles: {}\n# " + "x".repeat(PolicyLoader.MAX_CODE_POINTS) + "\n";

    assertThat(errorsOf(huge))
        .containsExactly("p.yaml: the policy is larger than 1048576 characters");
  }

  @Test
  void reportsSyntaxErrorsWithTheirLine() {
    assertThat(errorsOf("routes:\n  - name: a\n    match: { path: /a\n"))
        .singleElement()
        .asString()
        .startsWith("p.yaml:4:1: invalid YAML");
  }

  @Test
  void refusesAnEmptyOrNonMappingDocument() {
    assertThat(errorsOf("")).containsExactly("p.yaml: the policy is empty");
    assertThat(errorsOf("# nothing\n")).containsExactly("p.yaml: the policy is empty");
    assertThat(errorsOf("- a\n"))
        .containsExactly("p.yaml:1:1: expected a mapping (key: value), found a list");
  }

  private static List<String> errorsOf(String yaml) {
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse(yaml, "p.yaml"));
    assertThat(e).as("expected the policy to be rejected").isNotNull();
    return e.errors().stream().map(PolicyError::format).toList();
  }
}
