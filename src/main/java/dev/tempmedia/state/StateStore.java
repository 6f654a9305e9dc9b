package dev.tempmedia.state;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;

/**
 * The small amount of shared, durable state the server needs besides media: the signing key, token
 * lines and app epochs. It stores; it never decides — validity, rotation and grace rules live in
 * the services above it, so a new backend re-implements no rule. Every write is durable (or shared,
 * for Redis) before it completes.
 *
 * <p>Threading: what a token call needs returns a {@link CompletionStage}, because it may wait for a
 * disk (the journal's fsync) or a network round trip (Redis); a stage answered from memory (the local
 * store's reads, Redis's cached entries) is already complete when it is returned, so a cached read
 * costs no thread hop. A stage may complete on the store's own thread (the journal writer, Lettuce's
 * I/O threads): continuations must not block. The plain methods block and are for start-up and the
 * operator routes, which run on worker threads; never call them from an event loop.
 */
public interface StateStore extends AutoCloseable {

  /** The server's signing key: the stored one, or {@code candidate}, stored now if none was. Blocks. */
  byte[] signingKey(byte[] candidate);

  /** The line's current standing, {@link TokenLine#NONE} if nothing was ever issued on it. May be cached. */
  CompletionStage<TokenLine> tokenLine(TokenLineKey key);

  /**
   * The line as the store holds it now, bypassing any cache: asked before refusing a token that is
   * newer than what {@link #tokenLine} knows (it may come fresh from another instance).
   */
  default CompletionStage<TokenLine> tokenLineFresh(TokenLineKey key) {
    return tokenLine(key);
  }

  /** Moves the line to the next generation, unconditionally (every /cgi-bin/token call does). */
  CompletionStage<TokenLine> issue(TokenLineKey key, TokenLine.Issue issue);

  /**
   * Moves the line to the next generation only if it still stands at {@code expectedGeneration}, so
   * that two concurrent callers who both see a stale token issue one new token, not two.
   * Empty when another caller moved it first.
   */
  CompletionStage<Optional<TokenLine>> issueIf(
      TokenLineKey key, long expectedGeneration, TokenLine.Issue issue);

  /** The app's epoch: tokens issued under an older epoch are invalid. 0 until first bumped. May be cached. */
  CompletionStage<Integer> appEpoch(String appId);

  /** Like {@link #tokenLineFresh}, for the app's epoch. */
  default CompletionStage<Integer> appEpochFresh(String appId) {
    return appEpoch(appId);
  }

  /** Invalidates every token of the app at once by moving its epoch on; completes with the new epoch. */
  CompletionStage<Integer> bumpAppEpoch(String appId);

  /**
   * Counts one call on a daily counter if it stands below {@code limit}: completes with the new count,
   * or empty when the counter is already at the limit (then nothing is counted). Atomic across every
   * instance sharing the store. Counters of other days may be forgotten.
   */
  CompletionStage<OptionalLong> countCall(CallCounterKey key, long limit);

  /** A daily counter's value, 0 when nothing was counted. */
  CompletionStage<Long> callCount(CallCounterKey key);

  /** Sets every counter of the app for {@code day} back to zero. */
  CompletionStage<Void> clearCallCounts(String appId, String day);

  /**
   * The emulator clock's offset in milliseconds, if it was ever moved through the store; empty when it
   * never was, so a clock moved directly (in tests) is left as it is. Blocks.
   */
  OptionalLong clockOffset();

  /** Stores the clock's offset; every instance sharing this store is told (see {@link #onClockChange}). Blocks. */
  void clockOffset(long offsetMillis);

  /** Called with the new offset when another instance moves the shared clock. */
  void onClockChange(LongConsumer listener);

  /** The apps created at run time, id to record (the record's format belongs to the caller). Blocks. */
  Map<String, String> appRecords();

  /**
   * One created app's record, if there is one. Asked on every token call naming an id that is not a
   * fixed app, including ids a client made up: cached, absent ones too, in a bounded cache.
   */
  CompletionStage<Optional<String>> appRecord(String id);

  /** Stores a created app; false when one with that id exists already (nothing is changed then). Blocks. */
  boolean putAppRecordIfAbsent(String id, String record);

  /** Removes a created app; false when there was none. Blocks. */
  boolean removeAppRecord(String id);

  /**
   * The background jobs (upload_by_url), id to record (the record's format belongs to the caller),
   * shared by every instance on this store. Blocks.
   */
  Map<String, String> jobRecords();

  /** One job's record, read from the store itself (never cached: jobs change as they run). Blocks. */
  Optional<String> jobRecord(String id);

  /** Stores a job's record, replacing what was there; durable when this returns. Blocks. */
  void putJobRecord(String id, String record);

  /** Removes a job's record; false when there was none. Blocks. */
  boolean removeJobRecord(String id);

  /** Throws when the store cannot be reached or written; used by the health route. Blocks. */
  void check() throws Exception;

  @Override
  void close();
}
