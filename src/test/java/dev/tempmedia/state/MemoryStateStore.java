package dev.tempmedia.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * A {@link StateStore} in memory, for unit tests of the services above the SPI: every answer is
 * complete at once, nothing is durable. {@link StateStoreContractTest} holds it to the same contract
 * as the real backends.
 */
public final class MemoryStateStore implements StateStore {
  private final Map<TokenLineKey, TokenLine> lines = new HashMap<>();
  private final Map<String, Integer> epochs = new HashMap<>();
  private final Map<String, String> apps = new HashMap<>();
  private final DailyCounters callCounters = new DailyCounters();
  private final List<LongConsumer> clockListeners = new CopyOnWriteArrayList<>();
  private byte[] signingKey;
  private Long clockOffset;
  private boolean closed;

  @Override
  public synchronized byte[] signingKey(byte[] candidate) {
    if (signingKey == null) {
      signingKey = candidate.clone();
    }
    return signingKey.clone();
  }

  @Override
  public synchronized CompletionStage<TokenLine> tokenLine(TokenLineKey key) {
    return done(lines.getOrDefault(key, TokenLine.NONE));
  }

  @Override
  public synchronized CompletionStage<TokenLine> issue(TokenLineKey key, TokenLine.Issue issue) {
    TokenLine next = lines.getOrDefault(key, TokenLine.NONE).next(issue);
    lines.put(key, next);
    return done(next);
  }

  @Override
  public synchronized CompletionStage<Optional<TokenLine>> issueIf(
      TokenLineKey key, long expectedGeneration, TokenLine.Issue issue) {
    if (lines.getOrDefault(key, TokenLine.NONE).generation() != expectedGeneration) {
      return done(Optional.empty());
    }
    return issue(key, issue).thenApply(Optional::of);
  }

  @Override
  public synchronized CompletionStage<Integer> appEpoch(String appId) {
    return done(epochs.getOrDefault(appId, 0));
  }

  @Override
  public synchronized CompletionStage<Integer> bumpAppEpoch(String appId) {
    return done(epochs.merge(appId, 1, Integer::sum));
  }

  @Override
  public CompletionStage<OptionalLong> countCall(CallCounterKey key, long limit) {
    return CompletableFuture.completedFuture(callCounters.count(key, limit));
  }

  @Override
  public CompletionStage<Long> callCount(CallCounterKey key) {
    return CompletableFuture.completedFuture(callCounters.value(key));
  }

  @Override
  public CompletionStage<Void> clearCallCounts(String appId, String day) {
    callCounters.clear(appId, day);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized OptionalLong clockOffset() {
    return clockOffset == null ? OptionalLong.empty() : OptionalLong.of(clockOffset);
  }

  @Override
  public synchronized void clockOffset(long offsetMillis) {
    clockOffset = offsetMillis;
  }

  @Override
  public void onClockChange(LongConsumer listener) {
    clockListeners.add(listener); // one instance: nobody else moves it
  }

  @Override
  public synchronized Map<String, String> appRecords() {
    return Map.copyOf(apps);
  }

  @Override
  public synchronized CompletionStage<Optional<String>> appRecord(String id) {
    return done(Optional.ofNullable(apps.get(id)));
  }

  @Override
  public synchronized boolean putAppRecordIfAbsent(String id, String record) {
    return apps.putIfAbsent(id, record) == null;
  }

  @Override
  public synchronized boolean removeAppRecord(String id) {
    return apps.remove(id) != null;
  }

  private final Map<String, String> jobs = new java.util.HashMap<>();

  @Override
  public synchronized Map<String, String> jobRecords() {
    return Map.copyOf(jobs);
  }

  @Override
  public synchronized Optional<String> jobRecord(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  @Override
  public synchronized void putJobRecord(String id, String record) {
    jobs.put(id, record);
  }

  @Override
  public synchronized boolean removeJobRecord(String id) {
    return jobs.remove(id) != null;
  }

  @Override
  public synchronized void check() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
