package dev.tempmedia.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many uploads at once, one thread each, their starts spread over a short span so that at any moment
 * some are connecting, some mid-body and some answered. {@link #halt} stops the ones not yet started,
 * so nothing reaches a server started after the kill on the same port.
 */
final class UploadBurst {
  private final List<PacedUpload> uploads;
  private final long staggerMillis;
  private final CountDownLatch ended;
  private volatile boolean halted;
  private long startNanos;

  UploadBurst(List<PacedUpload> uploads, long staggerMillis) {
    this.uploads = List.copyOf(uploads);
    this.staggerMillis = staggerMillis;
    this.ended = new CountDownLatch(uploads.size());
  }

  /** Starts the burst; answers the moment it started ({@link System#nanoTime}). */
  long start() {
    startNanos = System.nanoTime();
    for (int i = 0; i < uploads.size(); i++) {
      PacedUpload upload = uploads.get(i);
      long startAt = startNanos + TimeUnit.MILLISECONDS.toNanos(i * staggerMillis);
      Thread thread = new Thread(
          () -> {
            try {
              sleepUntil(startAt);
              if (!halted) {
                upload.run();
              }
            } finally {
              ended.countDown();
            }
          },
          "upload-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    return startNanos;
  }

  void halt() {
    halted = true;
  }

  /** Waits for every upload to end (a kill ends them all within moments). */
  void awaitEnd(long timeoutSeconds) throws InterruptedException {
    if (!ended.await(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new AssertionError(
          ended.getCount() + " uploads still running " + timeoutSeconds + " s after the kill");
    }
  }

  List<PacedUpload> uploads() {
    return uploads;
  }

  List<PacedUpload> with(PacedUpload.Outcome outcome) {
    List<PacedUpload> matching = new ArrayList<>();
    for (PacedUpload upload : uploads) {
      if (upload.outcome() == outcome) {
        matching.add(upload);
      }
    }
    return matching;
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
