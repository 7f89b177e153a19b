package dev.betterauthz.testsupport;

/** The policy file of DESIGN.md §3, exactly as documented, shared by the tests that need it. */
public final class SamplePolicy {
  public static final String DESIGN =
      """
      roles:                      # member roles (members.role) -> permissions
        owner:  ["*"]
        admin:  ["organization:update", "member:*", "invitation:*", "leave:*"]
        staff:  ["leave:request", "leave:approve", "leave:read"]
        viewer: ["leave:read"]
      platformRoles:              # users.role (admin plugin)
        superadmin: ["*"]
        admin: ["*"]
      routes:
        - name: health
          match: { path: /healthz }
          public: true
        - name: approve-leave
          match: { methods: [POST], path: "/api/orgs/{org}/leave/{id}/approve" }
          tenant: { path: org }
          require: ["leave:approve"]
        - name: read-leave
          match: { methods: [GET], prefix: "/api/orgs/{org}/leave" }
          tenant: { path: org }
          require: ["leave:read"]
          consistency: claims     # claims | cached (default) | strong (always PostgreSQL)
        - name: org-settings
          match: { methods: [PATCH], path: "/api/org/settings" }
          tenant: { header: x-org-id }          # tenant from a request header
          require: ["organization:update"]
          consistency: strong
        - name: my-org-leave
          match: { methods: [GET], path: "/api/leave" }
          tenant: { claim: organizationId }     # tenant from the token's active organization
          require: ["leave:read"]
        - name: by-slug
          match: { prefix: "/o/{org}/" }
          tenant: { path: org, by: slug }       # organization named by its slug
          require: ["leave:read"]
        - name: me
          match: { prefix: /api/me }
          authenticated: true     # any valid token, no tenant
      default: deny
      """;

  private SamplePolicy() {}

  /** The design sample with {@code extraRoutes} (YAML list items) added before the default. */
  public static String withRoutes(String extraRoutes) {
    return DESIGN.replace("default: deny", extraRoutes + "default: deny");
  }
}
