package dev.betterauthz.tenancy;

import java.util.UUID;

/** Random ids and prefixes so ITs never collide with each other or with other people's. */
final class ItIds {
  private ItIds() {}

  static String id(String kind) {
    return kind + "-" + UUID.randomUUID().toString().substring(0, 12);
  }

  static String subjectPrefix() {
    return "it." + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + ".";
  }

  static String json(String user, String org) {
    StringBuilder out = new StringBuilder("{");
    if (user != null) {
      out.append("\"userId\":\"").append(user).append('"');
    }
    if (org != null) {
      out.append(user == null ? "" : ",").append("\"organizationId\":\"").append(org).append('"');
    }
    return out.append('}').toString();
  }
}
