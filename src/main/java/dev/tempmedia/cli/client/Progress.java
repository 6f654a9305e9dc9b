package dev.tempmedia.cli.client;

/** Told how many bytes went through; the CLI draws a bar from it on a terminal, nothing otherwise. */
public interface Progress {
  Progress NONE = new Progress() {
    @Override
    public void start(long done, long total) {}

    @Override
    public void advance(long bytes) {}

    @Override
    public void finish() {}
  };

  /**
   * @param done  bytes already there (a resumed download starts part way)
   * @param total the whole size, or -1 when unknown
   */
  void start(long done, long total);

  void advance(long bytes);

  /** The transfer ended, well or not: whatever the bar drew is closed off. */
  void finish();
}
