package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PolicyParsingProperties {

  @Property(tries = 1500)
  void onlyEverThrowsPolicyException(@ForAll("yamlish") String text) {
    try {
      Policy policy = PolicyLoader.parse(text, "fuzz.yaml");
      assertThat(policy.routes()).isNotNull();
    } catch (PolicyException e) {
      assertThat(e.errors()).isNotEmpty();
      assertThat(e.getMessage()).startsWith("fuzz.yaml");
    }
  }

  @Property(tries = 300)
  void arbitraryTextOnlyEverThrowsPolicyException(@ForAll String text) {
    try {
      PolicyLoader.parse(text, "fuzz.yaml");
    } catch (PolicyException e) {
      assertThat(e.errors()).isNotEmpty();
    }
  }

  @Provide
  Arbitrary<String> yamlish() {
    Arbitrary<String> tokens =
        Arbitraries.of(
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
            "é");
    return tokens.list().ofMaxSize(60).map(list -> String.join("", list));
  }
}
