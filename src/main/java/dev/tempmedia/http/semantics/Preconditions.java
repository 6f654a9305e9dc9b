package dev.tempmedia.http.semantics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluates the conditional headers of a request for a stored representation in the order RFC
 * 9110 §13.2.2 prescribes, then the Range field (§14.2) guarded by If-Range (§13.1.5).
 *
 * <p>Call it only when the request would otherwise succeed: §13.2.1 has preconditions ignored when
 * the answer without them would not be 2xx or 412 (a 404 stays a 404).
 */
public final class Preconditions {

  /**
   * The raw request fields that matter, each null when absent. A field sent on several lines
   * must be joined with ", " first (RFC 9110 §5.3). An empty value counts as absent.
   */
  public record Request(
      String method,
      String range,
      String ifMatch,
      String ifNoneMatch,
      String ifModifiedSince,
      String ifUnmodifiedSince,
      String ifRange) {

    public Request {
      Objects.requireNonNull(method, "method");
      range = blankToNull(range);
      ifMatch = blankToNull(ifMatch);
      ifNoneMatch = blankToNull(ifNoneMatch);
      ifModifiedSince = blankToNull(ifModifiedSince);
      ifUnmodifiedSince = blankToNull(ifUnmodifiedSince);
      ifRange = blankToNull(ifRange);
    }

    /** An unconditional request; add fields with the {@code with...} methods. */
    public static Request of(String method) {
      return new Request(method, null, null, null, null, null, null);
    }

    public Request withRange(String value) {
      return new Request(
          method, value, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince, ifRange);
    }

    public Request withIfMatch(String value) {
      return new Request(
          method, range, value, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince, ifRange);
    }

    public Request withIfNoneMatch(String value) {
      return new Request(
          method, range, ifMatch, value, ifModifiedSince, ifUnmodifiedSince, ifRange);
    }

    public Request withIfModifiedSince(String value) {
      return new Request(method, range, ifMatch, ifNoneMatch, value, ifUnmodifiedSince, ifRange);
    }

    public Request withIfUnmodifiedSince(String value) {
      return new Request(method, range, ifMatch, ifNoneMatch, ifModifiedSince, value, ifRange);
    }

    public Request withIfRange(String value) {
      return new Request(
          method, range, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince, value);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }

  /**
   * The selected representation's validators and length.
   *
   * @param etag a strong entity-tag with its quotes, e.g. {@code "\"abc\""}; null if none
   * @param lastModified null if unknown; compared at one-second precision, like the header
   * @param length the number of bytes a 200 would carry
   */
  public record Representation(String etag, Instant lastModified, long length) {
    public Representation {
      // Exactly the field value we send as ETag, so that what we compare is what clients saw.
      if (etag != null
          && EntityTag.parse(etag)
              .filter(t -> !t.weak() && t.opaqueTag().equals(etag))
              .isEmpty()) {
        throw new IllegalArgumentException("not a strong entity-tag: " + etag);
      }
      if (length < 0) {
        throw new IllegalArgumentException("negative length: " + length);
      }
      if (lastModified != null) {
        // HTTP-dates have whole seconds (§5.6.7); a stored instant with nanoseconds would
        // otherwise always look newer than the Last-Modified value we sent for it.
        lastModified = lastModified.truncatedTo(ChronoUnit.SECONDS);
      }
    }

    Optional<EntityTag> entityTag() {
      return etag == null ? Optional.empty() : EntityTag.parse(etag);
    }
  }

  /** What to answer. {@link #range()} is set for {@link Kind#PARTIAL} only. */
  public record Outcome(Kind kind, ByteRange range) {

    public enum Kind {
      OK_FULL(200),
      PARTIAL(206),
      NOT_MODIFIED(304),
      PRECONDITION_FAILED(412),
      RANGE_NOT_SATISFIABLE(416);

      private final int status;

      Kind(int status) {
        this.status = status;
      }

      public int status() {
        return status;
      }
    }

    public static final Outcome OK_FULL = new Outcome(Kind.OK_FULL, null);
    public static final Outcome NOT_MODIFIED = new Outcome(Kind.NOT_MODIFIED, null);
    public static final Outcome PRECONDITION_FAILED = new Outcome(Kind.PRECONDITION_FAILED, null);
    public static final Outcome RANGE_NOT_SATISFIABLE =
        new Outcome(Kind.RANGE_NOT_SATISFIABLE, null);

    public Outcome {
      Objects.requireNonNull(kind, "kind");
      if ((kind == Kind.PARTIAL) != (range != null)) {
        throw new IllegalArgumentException(kind + " with range " + range);
      }
    }

    public static Outcome partial(ByteRange range) {
      return new Outcome(Kind.PARTIAL, Objects.requireNonNull(range, "range"));
    }

    public int status() {
      return kind.status();
    }
  }

  private Preconditions() {}

  public static Outcome evaluate(Request r, Representation rep) {
    boolean getOrHead = r.method().equals("GET") || r.method().equals("HEAD");

    // §13.2.2 step 1, else step 2: If-Unmodified-Since counts only without If-Match (§13.1.4).
    if (r.ifMatch() != null) {
      if (!ifMatch(r.ifMatch(), rep)) {
        return Outcome.PRECONDITION_FAILED;
      }
    } else if (r.ifUnmodifiedSince() != null && modifiedSince(rep, r.ifUnmodifiedSince())) {
      return Outcome.PRECONDITION_FAILED;
    }

    // Step 3, else step 4: If-Modified-Since counts only without If-None-Match, and only for
    // GET and HEAD (§13.1.3).
    if (r.ifNoneMatch() != null) {
      if (ifNoneMatchMatches(r.ifNoneMatch(), rep)) {
        return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
      }
    } else if (getOrHead
        && r.ifModifiedSince() != null
        && notModifiedSince(rep, r.ifModifiedSince())) {
      return Outcome.NOT_MODIFIED;
    }

    // Steps 5 and 6. §14.2: GET is the only method for which range handling is defined, so a
    // HEAD answers with the headers of the full 200, Range or not.
    if (!r.method().equals("GET") || r.range() == null) {
      return Outcome.OK_FULL;
    }
    if (r.ifRange() != null && !ifRange(r.ifRange(), rep)) {
      return Outcome.OK_FULL;
    }
    RangeHeader.Result range = RangeHeader.parse(r.range(), rep.length());
    if (range instanceof RangeHeader.Partial p) {
      return Outcome.partial(p.range());
    }
    if (range instanceof RangeHeader.Unsatisfiable) {
      return Outcome.RANGE_NOT_SATISFIABLE;
    }
    return Outcome.OK_FULL;
  }

  /** §13.1.1: true for "*" when a representation exists, else on a strong match with any tag. */
  private static boolean ifMatch(String field, Representation rep) {
    EntityTag.Condition c = EntityTag.parseCondition(field);
    if (c.any()) {
      return true;
    }
    Optional<EntityTag> current = rep.entityTag();
    return current.isPresent() && c.tags().stream().anyMatch(t -> t.strongMatch(current.get()));
  }

  /** §13.1.2: matches for "*" when a representation exists, else on a weak match with any tag. */
  private static boolean ifNoneMatchMatches(String field, Representation rep) {
    EntityTag.Condition c = EntityTag.parseCondition(field);
    if (c.any()) {
      return true;
    }
    Optional<EntityTag> current = rep.entityTag();
    return current.isPresent() && c.tags().stream().anyMatch(t -> t.weakMatch(current.get()));
  }

  /**
   * §13.1.4: the condition fails when the representation changed after the date. An invalid date
   * or an unknown modification time means the field is ignored.
   */
  private static boolean modifiedSince(Representation rep, String field) {
    Optional<Instant> date = HttpDate.parse(field);
    return rep.lastModified() != null && date.isPresent() && rep.lastModified().isAfter(date.get());
  }

  /** §13.1.3: "not modified" when Last-Modified is at or before the date; else ignored. */
  private static boolean notModifiedSince(Representation rep, String field) {
    Optional<Instant> date = HttpDate.parse(field);
    return rep.lastModified() != null
        && date.isPresent()
        && !rep.lastModified().isAfter(date.get());
  }

  /**
   * §13.1.5, §13.2.2 step 5: the Range is honoured only if the validator still identifies the
   * current representation. An entity-tag must match strongly, so a weak tag never does. A date
   * must equal Last-Modified exactly; §8.8.2.2 would also want it to be a strong validator, which
   * it is here because stored media never changes once written. Anything else is false, and a
   * false If-Range means the full 200, never a 412.
   */
  private static boolean ifRange(String field, Representation rep) {
    String v = field.strip();
    if (v.startsWith("\"") || v.startsWith("W/")) {
      Optional<EntityTag> given = EntityTag.parse(v);
      Optional<EntityTag> current = rep.entityTag();
      return given.isPresent() && current.isPresent() && given.get().strongMatch(current.get());
    }
    Optional<Instant> date = HttpDate.parse(v);
    return date.isPresent() && date.get().equals(rep.lastModified());
  }
}
