package dev.tempmedia.state;

/**
 * One daily call counter: an app's calls to one API path on one day. The day is a label the caller
 * chooses (the quota service uses the Asia/Shanghai date); the store only keeps counters under it.
 *
 * @param appId the app (appid or corpid)
 * @param day   the day the counter belongs to, e.g. {@code 2026-12-01}
 * @param path  the API path, e.g. {@code /cgi-bin/media/upload}
 */
public record CallCounterKey(String appId, String day, String path) {}
