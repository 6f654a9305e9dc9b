package dev.tempmedia.inspector;

import dev.tempmedia.http.Exchange;
import dev.tempmedia.http.ExchangeObserver;

/** Turns each finished exchange into the inspector's record. */
public final class RequestRecorder implements ExchangeObserver {
  private final RequestLog log;

  public RequestRecorder(RequestLog log) {
    this.log = log;
  }

  @Override
  public void finished(Exchange ex) {
    var request = ex.request();
    var response = request.response();
    log.add(new RequestRecord(
        ex.id().rid(),
        ex.startedAtMillis(),
        request.method().name(),
        request.path(), // never the query: that is where tokens and secrets travel
        ex.appId(),
        ex.product() == null ? null : ex.product().wireName(),
        ex.wasDropped() ? 0 : response.getStatusCode(),
        ex.errcode(),
        ex.errmsg(),
        ex.diagnosis(),
        Math.round(ex.elapsedMillis() * 100) / 100.0,
        request.bytesRead(),
        ex.wasDropped() ? 0 : response.bytesWritten()));
  }
}
