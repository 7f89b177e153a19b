package dev.betterauthz.tenancy.invalidation;

import java.util.Arrays;
import java.util.Optional;

/** The invalidation subjects better-authz listens to (without the configured prefix). */
public enum EventKind {
  MEMBER_ROLE_CHANGED("member.role.changed", Scope.MEMBERSHIP),
  MEMBER_REMOVED("member.removed", Scope.MEMBERSHIP),
  MEMBER_ADDED("member.added", Scope.MEMBERSHIP),
  USER_BANNED("user.banned", Scope.USER),
  USER_ROLE_CHANGED("user.role.changed", Scope.USER),
  /** Not in DESIGN.md's list: a deleted user's tokens keep verifying until they expire. */
  USER_DELETED("user.deleted", Scope.USER),
  ORGANIZATION_DELETED("organization.deleted", Scope.ORGANIZATION),
  ORGANIZATION_ROLE_CHANGED("organization.role.changed", Scope.FORWARDED),
  SESSION_REVOKED("session.revoked", Scope.FORWARDED);

  /** What an event of a kind invalidates, and so which ids it must carry. */
  public enum Scope {
    /** One (user, organization) pair: both ids required. */
    MEMBERSHIP,
    /** Everything about a user: {@code userId} required. */
    USER,
    /** Everything about an organization: {@code organizationId} required. */
    ORGANIZATION,
    /** Not a cache event: handed to registered handlers only; at least one id required. */
    FORWARDED
  }

  private final String subject;
  private final Scope scope;

  EventKind(String subject, Scope scope) {
    this.subject = subject;
    this.scope = scope;
  }

  public String subject() {
    return subject;
  }

  public Scope scope() {
    return scope;
  }

  /** The kind whose subject is {@code subject} (already stripped of the prefix). */
  public static Optional<EventKind> fromSubject(String subject) {
    return Arrays.stream(values()).filter(k -> k.subject.equals(subject)).findFirst();
  }
}
