package dev.tempmedia.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.state.local.LocalStateStore;
import dev.tempmedia.state.redis.RedisStateStore;
import dev.tempmedia.testing.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link StateStore} contract, run against every implementation: the journal in a temporary
 * directory, Redis on a real redis-server, and the in-memory store the unit tests use. What one store
 * writes, a second one over the same state reads (the journal reopened; a second Redis client).
 */
class StateStoreContractTest {
  private static final AtomicInteger NEXT_DATABASE = new AtomicInteger();
  private static RedisProcess redis;

  /** One backend: how to open a store over a given deployment's state. */
  enum Backend {
    LOCAL {
      @Override
      StateStore open(Deployment d) {
        return LocalStateStore.open(d.dir(), true);
      }
    },
    REDIS {
      @Override
      StateStore open(Deployment d) {
        return RedisStateStore.open(redis.uri(d.database()), "contract:");
      }

      @Override
      boolean sharedByInstances() {
        return true;
      }
    },
    MEMORY {
      final Map<Deployment, MemoryStateStore> stores =
          new java.util.concurrent.ConcurrentHashMap<>();

      @Override
      StateStore open(Deployment d) {
        return stores.computeIfAbsent(d, x -> new MemoryStateStore());
      }
    };

    abstract StateStore open(Deployment d);

    /** Whether two open stores share the state at once (else the second is the first reopened). */
    boolean sharedByInstances() {
      return false;
    }
  }

  record Deployment(Path dir, int database) {}

  @TempDir
  Path dir;

  private final List<StateStore> opened = new ArrayList<>();
  private Deployment deployment;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = new RedisProcess();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.stop();
  }

  @AfterEach
  void closeStores() {
    opened.forEach(StateStore::close);
  }

  private StateStore open(Backend backend) {
    if (deployment == null) {
      deployment = new Deployment(dir, NEXT_DATABASE.incrementAndGet());
    }
    StateStore store = backend.open(deployment);
    opened.add(store);
    return store;
  }

  /** A second view of the same state: another instance, or the first store closed and opened again. */
  private StateStore other(Backend backend, StateStore first) {
    if (!backend.sharedByInstances() && backend != Backend.MEMORY) {
      first.close();
      opened.remove(first);
    }
    return open(backend);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static final TokenLineKey LINE = new TokenLineKey("wx00000000000000aa", "token");

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theFirstSigningKeyStoredIsTheOneKept(Backend backend) {
    StateStore store = open(backend);
    byte[] first = "first-key-0123456789abcdef012345".getBytes(StandardCharsets.UTF_8);
    byte[] second = "second-key-0123456789abcdef01234".getBytes(StandardCharsets.UTF_8);
    assertThat(store.signingKey(first)).isEqualTo(first);
    assertThat(store.signingKey(second)).isEqualTo(first);
    assertThat(other(backend, store).signingKey(second))
        .as("seen by another instance or after a restart")
        .isEqualTo(first);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void eachIssueMovesTheLineOnAndIsReadBack(Backend backend) throws Exception {
    StateStore store = open(backend);
    assertThat(await(store.tokenLine(LINE))).isEqualTo(TokenLine.NONE);
    TokenLine first = await(store.issue(LINE, new TokenLine.Issue(1000, 0, 1300)));
    TokenLine second = await(store.issue(LINE, new TokenLine.Issue(1010, 0, 1310)));
    assertThat(first).isEqualTo(new TokenLine(1, 1000, 0, 1300));
    assertThat(second).isEqualTo(new TokenLine(2, 1010, 0, 1310));
    assertThat(await(store.tokenLine(LINE))).isEqualTo(second);
    assertThat(await(store.tokenLineFresh(LINE))).isEqualTo(second);
    assertThat(await(store.tokenLine(new TokenLineKey(LINE.appId(), "stable"))))
        .as("another line")
        .isEqualTo(TokenLine.NONE);
    assertThat(await(other(backend, store).tokenLineFresh(LINE)))
        .as("durable / shared")
        .isEqualTo(second);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void concurrentIssuesGetDistinctGenerations(Backend backend) throws Exception {
    StateStore store = open(backend);
    List<CompletableFuture<TokenLine>> issues = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<CompletableFuture<TokenLine>>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(callers.submit(
            () -> store.issue(LINE, new TokenLine.Issue(2000, 0, 2300)).toCompletableFuture()));
      }
      for (var call : calls) {
        issues.add(call.get(10, TimeUnit.SECONDS));
      }
    } finally {
      callers.shutdown();
    }
    List<Long> generations = new ArrayList<>();
    for (CompletableFuture<TokenLine> issue : issues) {
      generations.add(issue.get(10, TimeUnit.SECONDS).generation());
    }
    assertThat(generations).doesNotHaveDuplicates().hasSize(200).allMatch(g -> g >= 1 && g <= 200);
    assertThat(await(store.tokenLineFresh(LINE)).generation()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void ofConcurrentConditionalIssuesOnTheSameGenerationExactlyOneWins(Backend backend)
      throws Exception {
    StateStore store = open(backend);
    await(store.issue(LINE, new TokenLine.Issue(3000, 0, 3000)));
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Optional<TokenLine>>> racers = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        racers.add(
            store.issueIf(LINE, 1, new TokenLine.Issue(3000 + n, 0, 3000)).toCompletableFuture());
      });
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(10_000);
    }
    List<TokenLine> winners = new ArrayList<>();
    for (CompletableFuture<Optional<TokenLine>> r : racers) {
      r.get(10, TimeUnit.SECONDS).ifPresent(winners::add);
    }
    assertThat(racers).hasSize(20);
    assertThat(winners).hasSize(1);
    assertThat(winners.get(0).generation()).isEqualTo(2);
    assertThat(await(store.tokenLineFresh(LINE))).isEqualTo(winners.get(0));
    assertThat(await(store.issueIf(LINE, 1, new TokenLine.Issue(4000, 0, 4000))))
        .as("a stale expectation")
        .isEmpty();
    assertThat(await(store.issueIf(LINE, 2, new TokenLine.Issue(4000, 0, 4000))))
        .map(TokenLine::generation)
        .contains(3L);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anUnissuedLineCanBeIssuedConditionallyFromGenerationZero(Backend backend) throws Exception {
    StateStore store = open(backend);
    assertThat(await(store.issueIf(LINE, 0, new TokenLine.Issue(5000, 0, 5000))))
        .contains(new TokenLine(1, 5000, 0, 5000));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void callCountersStopAtTheLimitAndAreClearedPerAppAndDay(Backend backend) throws Exception {
    StateStore store = open(backend);
    CallCounterKey upload = new CallCounterKey("wx-calls", "2026-12-01", "/cgi-bin/media/upload");
    CallCounterKey get = new CallCounterKey("wx-calls", "2026-12-01", "/cgi-bin/media/get");
    assertThat(await(store.callCount(upload))).isZero();
    assertThat(await(store.countCall(upload, 2))).hasValue(1);
    assertThat(await(store.countCall(upload, 2))).hasValue(2);
    assertThat(await(store.countCall(upload, 2))).isEmpty();
    assertThat(await(store.callCount(upload)))
        .as("a refused call is not counted")
        .isEqualTo(2);
    assertThat(await(store.countCall(get, 5))).hasValue(1);
    CallCounterKey nextDay = new CallCounterKey("wx-calls", "2026-12-02", upload.path());
    assertThat(await(store.callCount(nextDay))).isZero();
    CallCounterKey otherApp = new CallCounterKey("wx-other", upload.day(), upload.path());
    assertThat(await(store.countCall(otherApp, 2))).hasValue(1);

    await(store.clearCallCounts("wx-calls", "2026-12-01"));
    assertThat(await(store.callCount(upload))).isZero();
    assertThat(await(store.callCount(get))).isZero();
    assertThat(await(store.callCount(otherApp))).isEqualTo(1);
    assertThat(await(store.countCall(upload, 2))).hasValue(1);
    if (backend.sharedByInstances()) {
      assertThat(await(other(backend, store).countCall(upload, 2))).hasValue(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void epochsStartAtZeroAndMoveOnByOne(Backend backend) throws Exception {
    StateStore store = open(backend);
    assertThat(await(store.appEpoch("wx-epoch"))).isZero();
    assertThat(await(store.bumpAppEpoch("wx-epoch"))).isEqualTo(1);
    assertThat(await(store.bumpAppEpoch("wx-epoch"))).isEqualTo(2);
    assertThat(await(store.appEpoch("wx-epoch"))).isEqualTo(2);
    assertThat(await(store.appEpochFresh("wx-epoch"))).isEqualTo(2);
    assertThat(await(store.appEpoch("wx-other"))).isZero();
    assertThat(await(other(backend, store).appEpochFresh("wx-epoch"))).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theClockOffsetIsKept(Backend backend) {
    StateStore store = open(backend);
    assertThat(store.clockOffset()).isEmpty();
    store.clockOffset(86_400_000L);
    assertThat(store.clockOffset()).hasValue(86_400_000L);
    store.clockOffset(-5L);
    assertThat(other(backend, store).clockOffset()).hasValue(-5L);
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = "REDIS")
  void anotherInstanceHearsAClockMove(Backend backend) throws Exception {
    StateStore first = open(backend);
    StateStore second = open(backend);
    CompletableFuture<Long> heard = new CompletableFuture<>();
    second.onClockChange(heard::complete);
    first.clockOffset(3_600_000L);
    assertThat(heard.get(5, TimeUnit.SECONDS)).isEqualTo(3_600_000L);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void appRecordsArePutOnceAndRemoved(Backend backend) throws Exception {
    StateStore store = open(backend);
    assertThat(await(store.appRecord("wxcreated000001"))).isEmpty();
    assertThat(store.putAppRecordIfAbsent("wxcreated000001", "{\"v\":1}")).isTrue();
    assertThat(store.putAppRecordIfAbsent("wxcreated000001", "{\"v\":2}"))
        .as("taken")
        .isFalse();
    assertThat(await(store.appRecord("wxcreated000001"))).contains("{\"v\":1}");
    assertThat(store.appRecords()).isEqualTo(Map.of("wxcreated000001", "{\"v\":1}"));
    assertThat(store.removeAppRecord("wxcreated000001")).isTrue();
    assertThat(store.removeAppRecord("wxcreated000001")).isFalse();
    assertThat(await(store.appRecord("wxcreated000001"))).isEmpty();
    assertThat(store.appRecords()).isEmpty();
    store.putAppRecordIfAbsent("wxcreated000002", "{\"v\":3}");
    assertThat(await(other(backend, store).appRecord("wxcreated000002"))).contains("{\"v\":3}");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void jobRecordsAreReplacedRemovedAndOutliveTheInstance(Backend backend) throws Exception {
    StateStore store = open(backend);
    assertThat(store.jobRecord("job1")).isEmpty();
    store.putJobRecord("job1", "{\"status\":1}");
    store.putJobRecord("job1", "{\"status\":2}");
    store.putJobRecord("job2", "{\"status\":1}");
    assertThat(store.jobRecord("job1")).contains("{\"status\":2}");
    assertThat(store.jobRecords())
        .isEqualTo(Map.of("job1", "{\"status\":2}", "job2", "{\"status\":1}"));
    assertThat(store.removeJobRecord("job2")).isTrue();
    assertThat(store.removeJobRecord("job2")).isFalse();
    StateStore again = other(backend, store);
    assertThat(again.jobRecord("job1")).contains("{\"status\":2}");
    assertThat(again.jobRecords()).containsOnlyKeys("job1");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void checkPassesWhileOpenAndFailsOnceClosed(Backend backend) throws Exception {
    StateStore store = open(backend);
    store.check();
    store.close();
    opened.remove(store);
    assertThatThrownBy(store::check).isInstanceOf(Exception.class);
  }
}
