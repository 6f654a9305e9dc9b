package dev.tempmedia.storage.s3;

import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobKey;
import dev.tempmedia.storage.BlobStore;
import dev.tempmedia.storage.BlobWriter;
import dev.tempmedia.storage.Partition;
import dev.tempmedia.storage.PartitionWalk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Media in any S3-compatible store. Objects live under {@code media/<domain>/yyyy/MM/dd/HH/<id>}, with
 * their metadata as S3 user metadata, so any instance reads what any other wrote. The bucket is set
 * up by {@link S3Bucket}; metadata is cached above the store ({@link dev.tempmedia.storage.CachingBlobStore}),
 * so a download costs one ranged GET after its first.
 */
public final class S3BlobStore implements BlobStore {
  static final String ROOT = "media/";
  private final String root;
  /** DeleteObjects takes at most this many keys. */
  private static final int DELETE_BATCH = 1000;

  private final S3Client s3;
  private final S3Presigner presigner;
  private final PresignedPut puts;
  private final String bucket;
  private final ExecutorService io;
  private final PartMemory uploadMemory;

  private S3BlobStore(S3Bucket bucket, String root, PartMemory uploadMemory) {
    this.root = root;
    this.uploadMemory = uploadMemory;
    this.s3 = bucket.s3();
    this.presigner = bucket.presigner();
    this.puts = new PresignedPut(bucket.putSigner());
    this.bucket = bucket.name();
    AtomicInteger n = new AtomicInteger();
    this.io = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "tempmedia-s3-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Connects, creates the bucket when it is missing, and asks it to expire media by itself after
   * {@code expireAfterDays} (the sweep does it where the store has no lifecycle rules). Uploads'
   * parts count against {@code uploadMemory}, which the server's stores share.
   */
  public static S3BlobStore open(
      TempmediaConfig.S3 config, int expireAfterDays, PartMemory uploadMemory) {
    return new S3BlobStore(S3Bucket.open(config, ROOT, expireAfterDays), ROOT, uploadMemory);
  }

  /**
   * A store under another prefix of the same bucket ({@code images/}: content images, which must not
   * expire), with no lifecycle rule of its own; the media rule covers only {@link #ROOT}.
   */
  public static S3BlobStore openUnder(
      TempmediaConfig.S3 config, String root, PartMemory uploadMemory) {
    return new S3BlobStore(S3Bucket.open(config, root, 0), root, uploadMemory);
  }

  String objectKey(BlobKey key) {
    return root + key.path();
  }

  @Override
  public BlobWriter create(BlobKey key) {
    return new S3BlobWriter(s3, puts, bucket, objectKey(key), io, uploadMemory);
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
    return S3Metadata.decode(head.metadata(), head.contentType())
        .map(m -> new S3Blob(s3, presigner, bucket, objectKey, m));
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
  public List<Partition> partitions() throws IOException {
    return PartitionWalk.walk(this::prefixes, null);
  }

  @Override
  public List<Partition> partitions(String domainTag) throws IOException {
    return PartitionWalk.walk(this::prefixes, domainTag);
  }

  @Override
  public List<BlobKey> list(Partition partition) throws IOException {
    String hour = root + partition.path() + "/";
    List<BlobKey> keys = new ArrayList<>();
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(hour)).contents()) {
        keys.add(partition.key(o.key().substring(hour.length())));
      }
    } catch (SdkException e) {
      throw new IOException("S3 listing of " + hour + " failed: " + e.getMessage(), e);
    }
    return keys;
  }

  /** Lists the hour, then deletes it in batches: no deletes under a listing still being paged. */
  @Override
  public long deletePartition(Partition partition) throws IOException {
    String hour = root + partition.path() + "/";
    try {
      List<ObjectIdentifier> all = new ArrayList<>();
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(hour)).contents()) {
        all.add(ObjectIdentifier.builder().key(o.key()).build());
      }
      for (int i = 0; i < all.size(); i += DELETE_BATCH) {
        List<ObjectIdentifier> batch = all.subList(i, Math.min(all.size(), i + DELETE_BATCH));
        s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
      }
      return all.size();
    } catch (SdkException e) {
      throw new IOException("S3 expiry sweep of " + hour + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Usage usage() throws IOException {
    long objects = 0;
    long bytes = 0;
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(root)).contents()) {
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
    puts.close();
    s3.close();
    presigner.close();
  }

  /** The names one level under {@code path} (relative to the store's root): the listing's common prefixes. */
  private List<String> prefixes(String path) throws IOException {
    String prefix = path.isEmpty() ? root : root + path + "/";
    List<String> names = new ArrayList<>();
    try {
      s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/"))
          .commonPrefixes()
          .forEach(
              p -> names.add(p.prefix().substring(prefix.length(), p.prefix().length() - 1)));
    } catch (SdkException e) {
      throw new IOException("S3 listing of " + prefix + " failed: " + e.getMessage(), e);
    }
    return names;
  }
}
