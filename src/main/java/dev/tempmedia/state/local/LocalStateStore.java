package dev.tempmedia.state.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempmedia.io.Durability;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State for one machine: held in memory, made durable by an append-only journal of JSON lines in
 * the data directory. Reads never touch the disk. On open the journal is replayed (a torn last line
 * from a crash is dropped: it was never acknowledged) and rewritten compactly, atomically.
 *
 * <p>A journal rather than an embedded database: the state is a few records per app, changes are
 * rare next to reads, and a line-per-change file is easy to inspect and to repair by hand.
 */
public final class LocalStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStateStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String JOURNAL = "state.journal";

  private final Path journalPath;
  private final boolean fsync;
  // Every token check reads these from both event loops: concurrent maps keep reads lock-free, while
  // writes (rare: token issues) stay serialised with the journal under the monitor.
  private final Map<TokenLineKey, TokenLine> lines = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Integer> epochs = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> apps = new java.util.concurrent.ConcurrentHashMap<>();
  private byte[] signingKey;
  private Long clockOffset;
  private FileChannel journal;

  private LocalStateStore(Path dir, boolean fsync) {
    this.journalPath = dir.resolve(JOURNAL);
    this.fsync = fsync;
  }

  /** Opens (creating if needed) the state kept in {@code dir}. */
  public static LocalStateStore open(Path dir, boolean fsync) {
    LocalStateStore store = new LocalStateStore(dir, fsync);
    try {
      Files.createDirectories(dir);
      store.replay();
      store.compact();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the state journal " + store.journalPath + ": " + e.getMessage(), e);
    }
    return store;
  }

  @Override
  public synchronized byte[] signingKey(byte[] candidate) {
    if (signingKey == null) {
      ObjectNode entry = JSON.createObjectNode().put("op", "key").put("v", Base64.getEncoder().encodeToString(candidate));
      append(entry);
      signingKey = candidate.clone();
    }
    return signingKey.clone();
  }

  @Override
  public TokenLine tokenLine(TokenLineKey key) {
    return lines.getOrDefault(key, TokenLine.NONE);
  }

  @Override
  public synchronized TokenLine issue(TokenLineKey key, TokenLine.Issue issue) {
    TokenLine next = tokenLine(key).next(issue);
    append(lineEntry(key, next));
    lines.put(key, next);
    return next;
  }

  @Override
  public synchronized Optional<TokenLine> issueIf(TokenLineKey key, long expectedGeneration, TokenLine.Issue issue) {
    if (tokenLine(key).generation() != expectedGeneration) {
      return Optional.empty();
    }
    return Optional.of(issue(key, issue));
  }

  @Override
  public int appEpoch(String appId) {
    return epochs.getOrDefault(appId, 0);
  }

  @Override
  public synchronized int bumpAppEpoch(String appId) {
    int next = appEpoch(appId) + 1;
    append(JSON.createObjectNode().put("op", "epoch").put("app", appId).put("v", next));
    epochs.put(appId, next);
    return next;
  }

  @Override
  public synchronized java.util.OptionalLong clockOffset() {
    return clockOffset == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(clockOffset);
  }

  @Override
  public synchronized void clockOffset(long offsetMillis) {
    append(JSON.createObjectNode().put("op", "clock").put("v", offsetMillis));
    clockOffset = offsetMillis;
  }

  @Override
  public void onClockChange(java.util.function.LongConsumer listener) {
    // One instance per data directory: nobody else moves this clock.
  }

  @Override
  public Map<String, String> appRecords() {
    return Map.copyOf(apps);
  }

  @Override
  public Optional<String> appRecord(String id) {
    return Optional.ofNullable(apps.get(id));
  }

  @Override
  public synchronized boolean putAppRecordIfAbsent(String id, String record) {
    if (apps.containsKey(id)) {
      return false;
    }
    append(JSON.createObjectNode().put("op", "app").put("id", id).put("v", record));
    apps.put(id, record);
    return true;
  }

  @Override
  public synchronized boolean removeAppRecord(String id) {
    if (!apps.containsKey(id)) {
      return false;
    }
    append(JSON.createObjectNode().put("op", "app-removed").put("id", id));
    apps.remove(id);
    return true;
  }

  @Override
  public synchronized void check() throws IOException {
    if (journal == null || !journal.isOpen()) {
      throw new IOException("state journal is closed");
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (journal != null) {
        journal.close();
      }
    } catch (IOException e) {
      LOG.warn("closing the state journal failed: {}", e.getMessage());
    }
  }

  private static ObjectNode lineEntry(TokenLineKey key, TokenLine line) {
    return JSON.createObjectNode().put("op", "line").put("app", key.appId()).put("line", key.line())
        .put("gen", line.generation()).put("at", line.issuedAt()).put("epoch", line.epoch())
        .put("prevUntil", line.previousValidUntil());
  }

  /** Writes one entry before the change is made visible; a failed write changes nothing. */
  private void append(ObjectNode entry) {
    long end;
    try {
      end = journal.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the state journal: " + e.getMessage(), e);
    }
    try {
      writeFully(journal, entry);
      if (fsync) {
        journal.force(false);
      }
    } catch (IOException e) {
      cutBackTo(end, e);
      throw new UncheckedIOException("cannot write the state journal: " + e.getMessage(), e);
    }
  }

  /**
   * A write can fail part-way (a full disk takes the first bytes of a line, then refuses the rest). The
   * torn bytes must go: the next entry would be glued onto them, and replay would drop that entry as a
   * crash's torn last line (losing a token already handed out) or, with more entries after it, refuse
   * to start. If even the cut fails, the journal is closed, so later writes and the health check fail
   * instead of writing after the torn line.
   */
  private void cutBackTo(long end, IOException cause) {
    try {
      journal.truncate(end);
    } catch (IOException e) {
      cause.addSuppressed(e);
      LOG.error("cannot cut the state journal back to its last whole entry; closing it: {}", e.getMessage());
      try {
        journal.close();
      } catch (IOException ignored) {
        // Already unusable.
      }
    }
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
          LOG.warn("dropping a torn last entry of {} (a crash during a write that was never acknowledged)", journalPath);
          continue;
        }
        throw new IOException("entry " + (i + 1) + " of " + journalPath + " is not JSON; repair or remove that line");
      }
      apply(e);
    }
  }

  private void apply(JsonNode e) throws IOException {
    switch (e.path("op").asText()) {
      case "key" -> signingKey = Base64.getDecoder().decode(e.path("v").asText());
      case "line" -> lines.put(new TokenLineKey(e.path("app").asText(), e.path("line").asText()),
          new TokenLine(e.path("gen").asLong(), e.path("at").asLong(), e.path("epoch").asInt(),
              e.path("prevUntil").asLong()));
      case "epoch" -> epochs.put(e.path("app").asText(), e.path("v").asInt());
      case "clock" -> clockOffset = e.path("v").asLong();
      case "app" -> apps.put(e.path("id").asText(), e.path("v").asText());
      case "app-removed" -> apps.remove(e.path("id").asText());
      default -> throw new IOException("unknown entry in " + journalPath + ": " + e);
    }
  }

  /** Rewrites the journal as one entry per live record: temp file, fsync, rename, fsync dir. */
  private void compact() throws IOException {
    List<ObjectNode> entries = new ArrayList<>();
    if (signingKey != null) {
      entries.add(JSON.createObjectNode().put("op", "key").put("v", Base64.getEncoder().encodeToString(signingKey)));
    }
    epochs.forEach((app, v) -> entries.add(JSON.createObjectNode().put("op", "epoch").put("app", app).put("v", v)));
    lines.forEach((key, line) -> entries.add(lineEntry(key, line)));
    if (clockOffset != null) {
      entries.add(JSON.createObjectNode().put("op", "clock").put("v", clockOffset));
    }
    apps.forEach((id, record) -> entries.add(JSON.createObjectNode().put("op", "app").put("id", id).put("v", record)));
    Path tmp = journalPath.resolveSibling(JOURNAL + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (ObjectNode entry : entries) {
        writeFully(out, entry);
      }
      out.force(true);
    }
    Files.move(tmp, journalPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Durability.fsyncDirectory(journalPath.getParent());
    journal = FileChannel.open(journalPath, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }
}
