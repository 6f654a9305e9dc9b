package dev.tempmedia.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A store that hands every call to another one: the base of the decorators the server stacks over a
 * backend ({@link CachingBlobStore}, {@link CountingBlobStore}), each overriding only what it changes.
 */
abstract class ForwardingBlobStore implements BlobStore {
  protected final BlobStore store;

  protected ForwardingBlobStore(BlobStore store) {
    this.store = store;
  }

  @Override
  public BlobWriter create(BlobKey key) throws IOException {
    return store.create(key);
  }

  @Override
  public Optional<Blob> open(BlobKey key) throws IOException {
    return store.open(key);
  }

  @Override
  public boolean opensQuickly() {
    return store.opensQuickly();
  }

  @Override
  public Optional<Blob> known(BlobKey key) {
    return store.known(key);
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    return store.delete(key);
  }

  @Override
  public List<Partition> partitions() throws IOException {
    return store.partitions();
  }

  @Override
  public List<Partition> partitions(String domainTag) throws IOException {
    return store.partitions(domainTag);
  }

  @Override
  public List<BlobKey> list(Partition partition) throws IOException {
    return store.list(partition);
  }

  @Override
  public long deletePartition(Partition partition) throws IOException {
    return store.deletePartition(partition);
  }

  @Override
  public Usage usage() throws IOException {
    return store.usage();
  }

  @Override
  public void check() throws Exception {
    store.check();
  }

  @Override
  public void close() {
    store.close();
  }
}
