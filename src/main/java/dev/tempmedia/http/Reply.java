package dev.tempmedia.http;

/** What a route produced: a JSON body for the adapter to write, or a response it already sent. */
public sealed interface Reply {
  record Json(Object body) implements Reply {}

  /** The route wrote the response itself (downloads do, to stream bytes). */
  record Sent() implements Reply {}

  static Reply json(Object body) {
    return new Json(body);
  }

  static Reply sent() {
    return new Sent();
  }
}
