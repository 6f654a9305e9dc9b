package dev.tempmedia.media.byurl;

/**
 * One {@code upload_by_url} job as the state store keeps it (version 1): what was asked, where it
 * stands, and how it ended. Its own type, never the wire shape.
 *
 * @param status      1 running, 2 done, 3 failed (WeCom's numbers)
 * @param errcode     the failure's errcode (0 unless failed)
 * @param diagnosis   why it failed, in plain words (for logs and the operator)
 * @param createdAt   the created_at of the media it made (done only)
 * @param heartbeat   wall-clock millis of the runner's last sign of life: a running job whose
 *                    heartbeat is old has lost its runner and is taken over
 */
record UploadJob(
    int v,
    String id,
    String appId,
    String type,
    String filename,
    String url,
    String md5,
    int status,
    int errcode,
    String diagnosis,
    String mediaId,
    long createdAt,
    long submittedAt,
    long heartbeat) {
  static final int RUNNING = 1;
  static final int DONE = 2;
  static final int FAILED = 3;

  UploadJob beating(long now) {
    return new UploadJob(
        v,
        id,
        appId,
        type,
        filename,
        url,
        md5,
        status,
        errcode,
        diagnosis,
        mediaId,
        createdAt,
        submittedAt,
        now);
  }

  UploadJob done(String madeId, long madeAt, long now) {
    return new UploadJob(
        v, id, appId, type, filename, url, md5, DONE, 0, "", madeId, madeAt, submittedAt, now);
  }

  UploadJob failed(int code, String why, long now) {
    return new UploadJob(
        v, id, appId, type, filename, url, md5, FAILED, code, why, "", 0, submittedAt, now);
  }
}
