package dev.tempmedia.inspector;

/**
 * One finished request as the inspector shows it. Holds no credential: the path is kept without its
 * query, and diagnoses are written never to quote a token or a secret.
 *
 * @param errcode   the WeChat errcode answered, 0 for success (and for answers that are not WeChat errors)
 * @param diagnosis for an error, which check failed and why, in plain words; null on success
 */
public record RequestRecord(
    String rid, String time, String method, String path, String appid, String product, int status, int errcode,
    String errmsg, String diagnosis, double durationMs, long bytesIn, long bytesOut) {}
