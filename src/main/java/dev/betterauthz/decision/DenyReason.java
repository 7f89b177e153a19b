package dev.betterauthz.decision;

/**
 * The fixed vocabulary of deny reasons. The {@link #code()} is what appears in deny bodies,
 * decision logs and the {@code reason} metric label, so it never changes once released.
 */
public enum DenyReason {
  // 401: the caller is not authenticated.
  MISSING_TOKEN(Status.UNAUTHENTICATED),
  MALFORMED_TOKEN(Status.UNAUTHENTICATED),
  INVALID_SIGNATURE(Status.UNAUTHENTICATED),
  DISALLOWED_ALGORITHM(Status.UNAUTHENTICATED),
  UNKNOWN_KEY(Status.UNAUTHENTICATED),
  EXPIRED_TOKEN(Status.UNAUTHENTICATED),
  TOKEN_NOT_YET_VALID(Status.UNAUTHENTICATED),
  WRONG_ISSUER(Status.UNAUTHENTICATED),
  WRONG_AUDIENCE(Status.UNAUTHENTICATED),
  INVALID_SESSION(Status.UNAUTHENTICATED),
  // 403: authenticated (or not needed) but not allowed.
  NO_ROUTE(Status.FORBIDDEN),
  AMBIGUOUS_PATH(Status.FORBIDDEN),
  MISSING_TENANT(Status.FORBIDDEN),
  NOT_MEMBER(Status.FORBIDDEN),
  UNKNOWN_USER(Status.FORBIDDEN),
  MISSING_PERMISSION(Status.FORBIDDEN),
  USER_BANNED(Status.FORBIDDEN),
  // 503: no trustworthy answer could be had.
  BACKEND_UNAVAILABLE(Status.UNAVAILABLE),
  INTERNAL_ERROR(Status.UNAVAILABLE);

  /** The three outcomes a deny maps to; see {@link #httpStatus()} and {@link #grpcCode()}. */
  public enum Status {
    UNAUTHENTICATED(401, 16),
    FORBIDDEN(403, 7),
    UNAVAILABLE(503, 14);

    private final int http;
    private final int grpc;

    Status(int http, int grpc) {
      this.http = http;
      this.grpc = grpc;
    }
  }

  private final Status status;
  private final String code;

  DenyReason(Status status) {
    this.status = status;
    this.code = name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The snake_case reason used in bodies, logs and metric labels. */
  public String code() {
    return code;
  }

  public Status status() {
    return status;
  }

  public int httpStatus() {
    return status.http;
  }

  /** The google.rpc.Code value for {@code CheckResponse.status}. */
  public int grpcCode() {
    return status.grpc;
  }

  /** True when the deny is about the credential (401), so a Bearer challenge is sent. */
  public boolean isAuthentication() {
    return status == Status.UNAUTHENTICATED;
  }

  /** Short human text for the {@code error} field of a deny body; reveals nothing sensitive. */
  public String message() {
    return switch (status) {
      case UNAUTHENTICATED -> "unauthenticated";
      case FORBIDDEN -> "forbidden";
      case UNAVAILABLE -> "authorization temporarily unavailable";
    };
  }
}
