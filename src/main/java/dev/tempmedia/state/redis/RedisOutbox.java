package dev.tempmedia.state.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempmedia.io.Json;
import dev.tempmedia.outbox.MessageFilter;
import dev.tempmedia.outbox.Outbox;
import dev.tempmedia.outbox.SentMessage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox shared by every instance on one Redis: {@code <prefix>outbox} is a list of the messages
 * as JSON, newest first, trimmed to {@link Outbox#CAPACITY}; each message is also published on
 * {@code <prefix>outbox} (with the database's number when it is not 0, like the changes channel), so
 * that a reader waiting on any instance wakes when a message arrives on any other. Pushing, trimming
 * and publishing are one script, so no reader sees a message it then cannot read.
 */
public final class RedisOutbox extends Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(RedisOutbox.class);
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final String ADD = """
      redis.call('LPUSH', KEYS[1], ARGV[1])
      redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
      redis.call('PUBLISH', KEYS[2], ARGV[1])
      return 1
      """;

  private final String key;
  private final String channel;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> async;
  private final StatefulRedisPubSubConnection<String, String> subscription;

  RedisOutbox(RedisClient client, String prefix, int database) {
    this.key = prefix + "outbox";
    this.channel = prefix + "outbox" + (database == 0 ? "" : ":" + database);
    this.connection = client.connect();
    this.async = connection.async();
    this.subscription = client.connectPubSub();
    subscription.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String ch, String message) {
        if (channel.equals(ch)) {
          try {
            arrived(JSON.readValue(message, SentMessage.class));
          } catch (JsonProcessingException e) {
            LOG.debug("ignoring an outbox message this version cannot read: {}", e.getMessage());
          }
        }
      }
    });
    subscription.sync().subscribe(channel);
  }

  @Override
  public CompletionStage<Void> add(SentMessage message) {
    String json;
    try {
      json = JSON.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a message as JSON", e);
    }
    return async
        .<Long>eval(
            ADD,
            ScriptOutputType.INTEGER,
            new String[] {key, channel},
            json,
            Integer.toString(CAPACITY))
        .thenApply(n -> (Void) null);
  }

  @Override
  public CompletionStage<List<SentMessage>> newest(MessageFilter filter, int limit) {
    return async.lrange(key, 0, CAPACITY - 1).thenApply(lines -> {
      List<SentMessage> found = new ArrayList<>();
      for (String line : lines) {
        if (found.size() >= limit) {
          break;
        }
        try {
          SentMessage m = JSON.readValue(line, SentMessage.class);
          if (filter.test(m)) {
            found.add(m);
          }
        } catch (JsonProcessingException e) {
          LOG.debug("skipping an outbox entry this version cannot read: {}", e.getMessage());
        }
      }
      return found;
    });
  }

  @Override
  public CompletionStage<Void> clear() {
    return async.del(key).thenApply(n -> (Void) null);
  }

  @Override
  public void close() {
    subscription.close();
    connection.close();
  }
}
