package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestPathsTest {

  static Stream<Arguments> canonical() {
    return Stream.of(
        ok("/", "/"),
        ok("/api/x", "/api/x"),
        ok("/api/x/", "/api/x/"),
        ok("/API/X", "/API/X"),
        ok("/api/x?y=1", "/api/x"),
        ok("/api/x?", "/api/x"),
        ok("/api/x#frag", "/api/x"),
        ok("/public?/../admin", "/public"),
        ok("/public#/../admin", "/public"),
        ok("/a?b#c", "/a"),
        ok("/a#b?c", "/a"),
        ok("/?x=%2F", "/"),
        ok("/a/../b", "/b"),
        ok("/a/./b", "/a/b"),
        ok("/./a", "/a"),
        ok("/a/b/..", "/a/"),
        ok("/a/b/../", "/a/"),
        ok("/a/b/.", "/a/b/"),
        ok("/.", "/"),
        ok("/a/..", "/"),
        ok("/a/%2e%2e/b", "/b"),
        ok("/a/%2E%2e/b", "/b"),
        ok("/a/%2E%2e/", "/"),
        ok("/a/.%2e/b", "/b"),
        ok("/a/%2e/b", "/a/b"),
        ok("/a//b", "/a/b"),
        ok("//a", "/a"),
        ok("/a///b//", "/a/b/"),
        ok("/a/%7Euser", "/a/~user"),
        ok("/%41%42c", "/ABc"),
        ok("/adm%69n", "/admin"),
        ok("/a%20b", "/a%20b"),
        ok("/a%3bb", "/a%3Bb"),
        ok("/a%3fb", "/a%3Fb"),
        ok("/caf%C3%A9", "/caf%C3%A9"),
        ok("/caf%c3%a9", "/caf%C3%A9"),
        ok("/%E4%B8%AD%E6%96%87", "/%E4%B8%AD%E6%96%87"),
        ok("/a/...", "/a/..."),
        ok("/a/.b", "/a/.b"),
        ok("/a/b..", "/a/b.."),
        ok("/a:b@c!$&'()*+,=", "/a:b@c!$&'()*+,="),
        ok("/users/%40me", "/users/%40me"),
        ok("/a%25zz", "/a%25zz"),
        ok("/a/-_.~", "/a/-_.~"));
  }

  static Stream<Arguments> ambiguous() {
    return Stream.of(
        deny("", "empty"),
        deny("api/x", "relative"),
        deny("*", "asterisk-form"),
        deny("http://host/x", "absolute-form"),
        deny("?a=1", "only a query"),
        deny("#a", "only a fragment"),
        deny("/..", "climbs above root"),
        deny("/../a", "climbs above root"),
        deny("/a/../..", "climbs above root"),
        deny("/%2e%2e", "encoded climb above root"),
        deny("/%2e%2e/a", "encoded climb above root"),
        deny("/a/b//../c", "merge and dot-dot disagree between proxies"),
        deny("/a//..", "merge and dot-dot disagree between proxies"),
        deny("/a%2Fb", "encoded slash"),
        deny("/a%2fb", "encoded slash"),
        deny("/a/%2e%2e%2f", "encoded slash"),
        deny("/a%5Cb", "encoded backslash"),
        deny("/a%5cb", "encoded backslash"),
        deny("/a\\b", "raw backslash"),
        deny("/a\\..\\b", "raw backslash"),
        deny("/a;jsessionid=1", "path parameter"),
        deny("/admin;x/../public", "path parameter"),
        deny("/a;/b", "path parameter"),
        deny("/a%00", "encoded NUL"),
        deny("/a%0a", "encoded LF"),
        deny("/a%0D%0Ab", "encoded CRLF"),
        deny("/a%7f", "encoded DEL"),
        deny("/a\u0000", "raw NUL"),
        deny("/a\tb", "raw tab"),
        deny("/a b", "raw space"),
        deny("/a\u007f", "raw DEL"),
        deny("/a%", "truncated escape"),
        deny("/a%2", "truncated escape"),
        deny("/a%zz", "invalid escape"),
        deny("/a%g1", "invalid escape"),
        deny("/café", "raw non-ASCII"),
        deny("/a/\uFF0E\uFF0E/b", "raw fullwidth dots"),
        deny("/a\uFF0Fb", "raw fullwidth slash"),
        deny("/a/%EF%BC%8E%EF%BC%8E/b", "encoded fullwidth dots"),
        deny("/a%EF%BC%8Fb", "encoded fullwidth slash"),
        deny("/a%E2%80%A4b", "encoded one dot leader (NFKC '.')"),
        deny("/%c0%ae%c0%ae/b", "overlong UTF-8 dots"),
        deny("/%C0%AF", "overlong UTF-8 slash"),
        deny("/%e0%80%ae", "three-byte overlong dot"),
        deny("/a%252e%252e", "double encoding"),
        deny("/a%252F", "double-encoded slash"),
        deny("/a%25%32%65", "escape assembled from decoded digits"),
        deny("/%25%41A", "escape assembled from a decoded letter"),
        deny("/a%C2%85", "encoded C1 control"),
        deny("/a%E2%80%AEb", "encoded bidi override"),
        deny("/a%ff", "lone invalid UTF-8 byte"),
        deny("/a%C3", "truncated UTF-8"),
        deny("/a%ED%A0%80", "encoded surrogate"),
        deny("/a{b}", "brace"),
        deny("/a|b", "pipe"),
        deny("/a<b>", "angle brackets"),
        deny("/a\"b", "quote"),
        deny("/a`b", "backtick"),
        deny("/a^b", "caret"),
        deny("/a[0]", "brackets"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("canonical")
  void normalizes(String raw, String expected) {
    assertThat(RequestPaths.normalize(raw)).contains(expected);
  }

  @ParameterizedTest(name = "{0} is ambiguous: {1}")
  @MethodSource("ambiguous")
  void refusesAmbiguousTargets(String raw, String why) {
    assertThat(RequestPaths.normalize(raw)).as(why).isEmpty();
  }

  @Test
  void refusesNull() {
    assertThat(RequestPaths.normalize(null)).isEmpty();
  }

  @Test
  void returnsAnAlreadyCanonicalPathAsIs() {
    String path = "/api/orgs/acme/leave";

    assertThat(RequestPaths.normalize(path)).containsSame(path);
  }

  @Test
  void normalizedPathsAreStable() {
    canonical()
        .map(arguments -> (String) arguments.get()[1])
        .forEach(path -> assertThat(RequestPaths.normalize(path)).contains(path));
  }

  private static Arguments ok(String raw, String expected) {
    return arguments(raw, expected);
  }

  private static Arguments deny(String raw, String why) {
    return arguments(raw, why);
  }
}
