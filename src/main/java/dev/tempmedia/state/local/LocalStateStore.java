package dev.tempmedia.state.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempmedia.io.Durability;
import dev.tempmedia.io.Json;
import dev.tempmedia.state.CallCounterKey;
import dev.tempmedia.state.DailyCounters;
import dev.tempmedia.state.StateStore;
import dev.tempmedia.state.TokenLine;
import dev.tempmedia.state.TokenLineKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State for one machine: held in memory, made durable by an append-only journal of JSON lines in
 * the data directory. Reads never touch the disk and complete at once. Writes go through the one
 * {@link JournalWriter} thread, which shares one fsync among every change queued meanwhile and makes a
 * change visible only once its line is durable. On open the journal is replayed (a torn last line
 * from a crash is dropped: it was never acknowledged) and rewritten compactly, atomically.
 *
 * <p>A journal rather than an embedded database: the state is a few records per app, changes are
 * rare next to reads, and a line-per-change file is easy to inspect and to repair by hand.
 */
public final class LocalStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStateStore.class);
  private static final ObjectMapper JSON = Json.MAPPER;
  static final String JOURNAL = "state.journal";

  private final Path journalPath;
  // What readers see, which is what is durable: every token check reads these from the event loops,
  // lock-free; only the journal writer's thread changes them, after the change's line is durable.
  private final Map<TokenLineKey, TokenLine> lines = new ConcurrentHashMap<>();
  private final Map<String, Integer> epochs = new ConcurrentHashMap<>();
  private final Map<String, String> apps = new ConcurrentHashMap<>();
  private final DailyCounters callCounters = new DailyCounters();
  private final Map<String, String> jobs = new ConcurrentHashMap<>();
  private volatile byte[] signingKey;
  private volatile Long clockOffset;
  // The newest state, durable or about to be: the writer thread's alone. Each change is decided
  // against it, so two issues queued in one batch get two generations; a failed write goes back to
  // the above.
  private final Map<TokenLineKey, TokenLine> newestLines = new HashMap<>();
  private final Map<String, Integer> newestEpochs = new HashMap<>();
  private final Map<String, String> newestApps = new HashMap<>();
  private final Map<String, String> newestJobs = new HashMap<>();
  private byte[] newestKey;
  private Long newestClock;
  private JournalWriter writer;

  private LocalStateStore(Path dir) {
    this.journalPath = dir.resolve(JOURNAL);
  }

  /** Opens (creating if needed) the state kept in {@code dir}. */
  public static LocalStateStore open(Path dir, boolean fsync) {
    LocalStateStore store = new LocalStateStore(dir);
    try {
      Files.createDirectories(dir);
      store.replay();
      FileChannel journal = store.compact();
      store.backToVisible();
      store.writer = new JournalWriter(journal, fsync, store::backToVisible);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the state journal " + store.journalPath + ": " + e.getMessage(), e);
    }
    return store;
  }

  @Override
  public byte[] signingKey(byte[] candidate) {
    return join(writer.submit(() -> {
      if (newestKey != null) {
        return JournalWriter.Staged.nothing(newestKey.clone());
      }
      byte[] key = candidate.clone();
      newestKey = key;
      return new JournalWriter.Staged<>(keyEntry(key), () -> signingKey = key, key.clone());
    }));
  }

  @Override
  public CompletionStage<TokenLine> tokenLine(TokenLineKey key) {
    return CompletableFuture.completedFuture(lines.getOrDefault(key, TokenLine.NONE));
  }

  @Override
  public CompletionStage<TokenLine> issue(TokenLineKey key, TokenLine.Issue issue) {
    return writer.submit(() -> stageIssue(key, issue));
  }

  @Override
  public CompletionStage<Optional<TokenLine>> issueIf(
      TokenLineKey key, long expectedGeneration, TokenLine.Issue issue) {
    return writer.submit(() -> {
      if (newestLines.getOrDefault(key, TokenLine.NONE).generation() != expectedGeneration) {
        return JournalWriter.Staged.nothing(Optional.empty());
      }
      JournalWriter.Staged<TokenLine> s = stageIssue(key, issue);
      return new JournalWriter.Staged<>(s.entry(), s.publish(), Optional.of(s.result()));
    });
  }

  private JournalWriter.Staged<TokenLine> stageIssue(TokenLineKey key, TokenLine.Issue issue) {
    TokenLine next = newestLines.getOrDefault(key, TokenLine.NONE).next(issue);
    newestLines.put(key, next);
    return new JournalWriter.Staged<>(lineEntry(key, next), () -> lines.put(key, next), next);
  }

  @Override
  public CompletionStage<Integer> appEpoch(String appId) {
    return CompletableFuture.completedFuture(epochs.getOrDefault(appId, 0));
  }

  @Override
  public CompletionStage<Integer> bumpAppEpoch(String appId) {
    return writer.submit(() -> {
      int next = newestEpochs.getOrDefault(appId, 0) + 1;
      newestEpochs.put(appId, next);
      return new JournalWriter.Staged<>(
          epochEntry(appId, next), () -> epochs.put(appId, next), next);
    });
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
  public OptionalLong clockOffset() {
    Long offset = clockOffset;
    return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
  }

  @Override
  public void clockOffset(long offsetMillis) {
    join(writer.submit(() -> {
      newestClock = offsetMillis;
      return new JournalWriter.Staged<>(
          clockEntry(offsetMillis), () -> clockOffset = offsetMillis, null);
    }));
  }

  @Override
  public void onClockChange(LongConsumer listener) {
    // One instance per data directory: nobody else moves this clock.
  }

  @Override
  public Map<String, String> appRecords() {
    return Map.copyOf(apps);
  }

  @Override
  public CompletionStage<Optional<String>> appRecord(String id) {
    return CompletableFuture.completedFuture(Optional.ofNullable(apps.get(id)));
  }

  @Override
  public boolean putAppRecordIfAbsent(String id, String record) {
    return join(writer.submit(() -> {
      if (newestApps.containsKey(id)) {
        return JournalWriter.Staged.nothing(false);
      }
      newestApps.put(id, record);
      return new JournalWriter.Staged<>(appEntry(id, record), () -> apps.put(id, record), true);
    }));
  }

  @Override
  public boolean removeAppRecord(String id) {
    return join(writer.submit(() -> {
      if (!newestApps.containsKey(id)) {
        return JournalWriter.Staged.nothing(false);
      }
      newestApps.remove(id);
      return new JournalWriter.Staged<>(
          JSON.createObjectNode().put("op", "app-removed").put("id", id),
          () -> apps.remove(id),
          true);
    }));
  }

  @Override
  public Map<String, String> jobRecords() {
    return Map.copyOf(jobs);
  }

  @Override
  public Optional<String> jobRecord(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  @Override
  public void putJobRecord(String id, String record) {
    join(writer.submit(() -> {
      newestJobs.put(id, record);
      return new JournalWriter.Staged<>(jobEntry(id, record), () -> jobs.put(id, record), null);
    }));
  }

  @Override
  public boolean removeJobRecord(String id) {
    return join(writer.submit(() -> {
      if (newestJobs.remove(id) == null) {
        return JournalWriter.Staged.nothing(false);
      }
      return new JournalWriter.Staged<>(
          JSON.createObjectNode().put("op", "job-removed").put("id", id),
          () -> jobs.remove(id),
          true);
    }));
  }

  @Override
  public void check() throws IOException {
    if (writer == null || !writer.isOpen()) {
      throw new IOException("state journal is closed");
    }
  }

  /** Writes what is queued, then closes the journal. */
  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
  }

  /** The writer's newest state becomes what is visible (durable) again: at open, and after a failed write. */
  private void backToVisible() {
    newestLines.clear();
    newestLines.putAll(lines);
    newestEpochs.clear();
    newestEpochs.putAll(epochs);
    newestApps.clear();
    newestApps.putAll(apps);
    newestJobs.clear();
    newestJobs.putAll(jobs);
    newestKey = signingKey;
    newestClock = clockOffset;
  }

  private static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static ObjectNode keyEntry(byte[] key) {
    return JSON.createObjectNode()
        .put("op", "key")
        .put("v", Base64.getEncoder().encodeToString(key));
  }

  private static ObjectNode lineEntry(TokenLineKey key, TokenLine line) {
    return JSON.createObjectNode()
        .put("op", "line")
        .put("app", key.appId())
        .put("line", key.line())
        .put("gen", line.generation())
        .put("at", line.issuedAt())
        .put("epoch", line.epoch())
        .put("prevUntil", line.previousValidUntil());
  }

  private static ObjectNode epochEntry(String appId, int epoch) {
    return JSON.createObjectNode().put("op", "epoch").put("app", appId).put("v", epoch);
  }

  private static ObjectNode clockEntry(long offsetMillis) {
    return JSON.createObjectNode().put("op", "clock").put("v", offsetMillis);
  }

  private static ObjectNode appEntry(String id, String record) {
    return JSON.createObjectNode().put("op", "app").put("id", id).put("v", record);
  }

  private static ObjectNode jobEntry(String id, String record) {
    return JSON.createObjectNode().put("op", "job").put("id", id).put("v", record);
  }

  private static void writeFully(FileChannel channel, ObjectNode entry) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap((entry.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  private void replay() throws IOException {
    if (!Files.exists(journalPath)) {
      return;
    }
    List<String> rows = Files.readAllLines(journalPath, StandardCharsets.UTF_8);
    for (int i = 0; i < rows.size(); i++) {
      String row = rows.get(i);
      if (row.isBlank()) {
        continue;
      }
      JsonNode e;
      try {
        e = JSON.readTree(row);
      } catch (IOException torn) {
        if (i == rows.size() - 1) {
          LOG.warn(
              "dropping a torn last entry of {} (a crash during a write that was never acknowledged)",
              journalPath);
          continue;
        }
        throw new IOException(
            "entry " + (i + 1) + " of " + journalPath + " is not JSON; repair or remove that line");
      }
      apply(e);
    }
  }

  private void apply(JsonNode e) throws IOException {
    switch (e.path("op").asText()) {
      case "key" -> signingKey = Base64.getDecoder().decode(e.path("v").asText());
      case "line" ->
        lines.put(
            new TokenLineKey(e.path("app").asText(), e.path("line").asText()),
            new TokenLine(
                e.path("gen").asLong(),
                e.path("at").asLong(),
                e.path("epoch").asInt(),
                e.path("prevUntil").asLong()));
      case "epoch" -> epochs.put(e.path("app").asText(), e.path("v").asInt());
      case "clock" -> clockOffset = e.path("v").asLong();
      case "app" -> apps.put(e.path("id").asText(), e.path("v").asText());
      case "app-removed" -> apps.remove(e.path("id").asText());
      case "job" -> jobs.put(e.path("id").asText(), e.path("v").asText());
      case "job-removed" -> jobs.remove(e.path("id").asText());
      default -> throw new IOException("unknown entry in " + journalPath + ": " + e);
    }
  }

  /** Rewrites the journal as one entry per live record: temp file, fsync, rename, fsync dir; opens it to append. */
  private FileChannel compact() throws IOException {
    List<ObjectNode> entries = new ArrayList<>();
    if (signingKey != null) {
      entries.add(keyEntry(signingKey));
    }
    epochs.forEach((app, v) -> entries.add(epochEntry(app, v)));
    lines.forEach((key, line) -> entries.add(lineEntry(key, line)));
    if (clockOffset != null) {
      entries.add(clockEntry(clockOffset));
    }
    apps.forEach((id, record) -> entries.add(appEntry(id, record)));
    jobs.forEach((id, record) -> entries.add(jobEntry(id, record)));
    Path tmp = journalPath.resolveSibling(JOURNAL + ".tmp");
    try (FileChannel out = FileChannel.open(
        tmp,
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (ObjectNode entry : entries) {
        writeFully(out, entry);
      }
      out.force(true);
    }
    Files.move(
        tmp, journalPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Durability.fsyncDirectory(journalPath.getParent());
    return FileChannel.open(journalPath, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }
}
