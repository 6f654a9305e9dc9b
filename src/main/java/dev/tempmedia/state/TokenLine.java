package dev.tempmedia.state;

/**
 * Where a token line stands: the generation of its newest token, when that one was issued, the app
 * epoch it was issued under, and until when the generation before it stays valid (its grace).
 * Generation 0 means nothing was ever issued on the line.
 */
public record TokenLine(long generation, long issuedAt, int epoch, long previousValidUntil) {
  public static final TokenLine NONE = new TokenLine(0, 0, 0, 0);

  public boolean issued() {
    return generation > 0;
  }

  /** The line after one more issue. */
  public TokenLine next(Issue issue) {
    return new TokenLine(
        generation + 1, issue.issuedAt(), issue.epoch(), issue.previousValidUntil());
  }

  /** What a new issue on a line records, apart from the generation the store assigns. */
  public record Issue(long issuedAt, int epoch, long previousValidUntil) {}
}
