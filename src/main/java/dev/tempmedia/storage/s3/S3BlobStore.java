package dev.tempmedia.storage.s3;

import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobKey;
import dev.tempmedia.storage.BlobStore;
import dev.tempmedia.storage.BlobWriter;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Media in any S3-compatible store. Objects live under {@code media/<domain>/yyyy/MM/dd/HH/<id>}, with
 * their metadata as S3 user metadata, so any instance reads what any other wrote. The bucket is set
 * up by {@link S3Bucket}. Metadata is cached
 * above the store ({@link dev.tempmedia.storage.CachingBlobStore}), so a download costs one ranged
 * GET after its first.
 */
public final class S3BlobStore implements BlobStore {
  static final String ROOT = "media/";

  private final S3Client s3;
  private final String bucket;
  private final ExecutorService io;

  private S3BlobStore(S3Bucket bucket) {
    this.s3 = bucket.s3();
    this.bucket = bucket.name();
    AtomicInteger n = new AtomicInteger();
    this.io = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "tempmedia-s3-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Connects, creates the bucket when it is missing, and asks it to expire media by itself: after 4
   * days (3 days of life, rounded up to S3's whole days).
   */
  public static S3BlobStore open(TempmediaConfig.S3 config) {
    return new S3BlobStore(S3Bucket.open(config, ROOT, 4));
  }

  static String objectKey(BlobKey key) {
    return ROOT + key.path();
  }

  @Override
  public BlobWriter create(BlobKey key) {
    return new S3BlobWriter(s3, bucket, objectKey(key), io);
  }

  @Override
  public Optional<Blob> open(BlobKey key) throws IOException {
    String objectKey = objectKey(key);
    HeadObjectResponse head;
    try {
      head = s3.headObject(b -> b.bucket(bucket).key(objectKey));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw new IOException("S3 HEAD " + objectKey + " failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("S3 HEAD " + objectKey + " failed: " + e.getMessage(), e);
    }
    return S3Metadata.decode(head.metadata(), head.contentType()).map(m -> new S3Blob(s3, bucket, objectKey, m));
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    String objectKey = objectKey(key);
    boolean existed = open(key).isPresent();
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(objectKey));
    } catch (SdkException e) {
      throw new IOException("S3 DELETE " + objectKey + " failed: " + e.getMessage(), e);
    }
    return existed;
  }

  @Override
  public long deleteCreatedBefore(long cutoffEpochSecond) throws IOException {
    long removed = 0;
    try {
      for (String domain : prefixes(ROOT)) {
        for (String hour : hourPrefixes(domain)) {
          if (hourStart(hour) + 3600 <= cutoffEpochSecond) {
            removed += deleteAll(hour);
          }
        }
      }
    } catch (SdkException e) {
      throw new IOException("S3 expiry sweep failed: " + e.getMessage(), e);
    }
    return removed;
  }

  @Override
  public List<BlobKey> list(String domainTag, long sinceEpochSecond) throws IOException {
    List<BlobKey> keys = new ArrayList<>();
    try {
      for (String hour : hourPrefixes(ROOT + domainTag + "/")) {
        long start = hourStart(hour);
        if (start + 3600 <= sinceEpochSecond) {
          continue;
        }
        for (S3Object o : objects(hour)) {
          keys.add(new BlobKey(domainTag, start, o.key().substring(hour.length())));
        }
      }
    } catch (SdkException e) {
      throw new IOException("S3 listing failed: " + e.getMessage(), e);
    }
    return keys;
  }

  @Override
  public Usage usage() throws IOException {
    long objects = 0;
    long bytes = 0;
    try {
      for (S3Object o : objects(ROOT)) {
        objects++;
        bytes += o.size();
      }
    } catch (SdkException e) {
      throw new IOException("S3 listing failed: " + e.getMessage(), e);
    }
    return new Usage(objects, bytes);
  }

  @Override
  public void check() {
    s3.headBucket(b -> b.bucket(bucket));
  }

  @Override
  public void close() {
    io.shutdown();
    s3.close();
  }

  // ---- partitions -------------------------------------------------------------------------------

  /** {@code domain/yyyy/MM/dd/HH/} prefixes under a domain prefix, walking the date levels. */
  private List<String> hourPrefixes(String domainPrefix) {
    List<String> hours = new ArrayList<>();
    for (String year : prefixes(domainPrefix)) {
      for (String month : prefixes(year)) {
        for (String day : prefixes(month)) {
          hours.addAll(prefixes(day));
        }
      }
    }
    return hours;
  }

  private List<String> prefixes(String prefix) {
    List<String> out = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).delimiter("/").continuationToken(t));
      r.commonPrefixes().stream().map(CommonPrefix::prefix).forEach(out::add);
      token = r.nextContinuationToken();
    } while (token != null);
    return out;
  }

  private List<S3Object> objects(String prefix) {
    List<S3Object> out = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(t));
      out.addAll(r.contents());
      token = r.nextContinuationToken();
    } while (token != null);
    return out;
  }

  private long deleteAll(String prefix) {
    List<S3Object> all = objects(prefix);
    for (int i = 0; i < all.size(); i += 1000) {
      List<ObjectIdentifier> batch = all.subList(i, Math.min(all.size(), i + 1000)).stream()
          .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
      s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
    }
    return all.size();
  }

  /** The start of an hour from its prefix {@code media/domain/yyyy/MM/dd/HH/}. */
  private static long hourStart(String hourPrefix) {
    String[] p = hourPrefix.split("/");
    int n = p.length;
    return LocalDateTime.of(Integer.parseInt(p[n - 4]), Integer.parseInt(p[n - 3]), Integer.parseInt(p[n - 2]),
        Integer.parseInt(p[n - 1]), 0).toEpochSecond(ZoneOffset.UTC);
  }
}
