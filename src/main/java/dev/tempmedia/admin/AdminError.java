package dev.tempmedia.admin;

/** A refusal of an operator route: its HTTP status and a message saying what to do instead. */
public final class AdminError extends RuntimeException {
  private final int status;

  public AdminError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public static AdminError badRequest(String message) {
    return new AdminError(400, message);
  }

  public static AdminError notFound(String message) {
    return new AdminError(404, message);
  }

  public int status() {
    return status;
  }
}
