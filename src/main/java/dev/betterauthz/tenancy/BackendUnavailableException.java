package dev.betterauthz.tenancy;

/** The authoritative store could not answer in time and no cached answer may be used. */
public final class BackendUnavailableException extends RuntimeException {
  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  public BackendUnavailableException(String message) {
    super(message, null, false, false);
  }
}
