package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.testsupport.Gen;
import org.junit.jupiter.api.Test;

/** Policy loading over generated YAML-ish and arbitrary text: only PolicyException escapes. */
class PolicyParsingProperties {
  private static final String[] TOKENS = {
    "roles",
    "platformRoles",
    "routes",
    "default",
    "name",
    "match",
    "path",
    "prefix",
    "methods",
    "public",
    "authenticated",
    "tenant",
    "header",
    "claim",
    "by",
    "require",
    "consistency",
    "mode",
    "requires",
    ": ",
    ":",
    "\n",
    "\n  ",
    "\n    ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "\"",
    "'",
    "*",
    "&a ",
    "*a",
    "!x ",
    "!!str ",
    "<<",
    "true",
    "yes",
    "null",
    "~",
    "1",
    "/a/{org}",
    "/o/{org}/",
    "leave:read",
    "leave:*",
    "slug",
    "GET",
    "claims",
    "shadow",
    "allow",
    "#",
    "%",
    "|",
    ">",
    "---",
    "...",
    "?",
    "\t",
    "é"
  };

  @Test
  void onlyEverThrowsPolicyException() {
    Gen.check(
        11L,
        2000,
        g -> g.joined(60, TOKENS),
        text -> {
          try {
            Policy policy = PolicyLoader.parse(text, "fuzz.yaml");
            assertThat(policy.routes()).isNotNull();
          } catch (PolicyException e) {
            assertThat(e.errors()).isNotEmpty();
            assertThat(e.getMessage()).startsWith("fuzz.yaml");
          }
        });
  }

  @Test
  void arbitraryTextOnlyEverThrowsPolicyException() {
    Gen.check(
        12L,
        1000,
        g -> g.anyString(200),
        text -> {
          try {
            PolicyLoader.parse(text, "fuzz.yaml");
          } catch (PolicyException e) {
            assertThat(e.errors()).isNotEmpty();
          }
        });
  }
}
