package dev.tempmedia.admin;

import dev.tempmedia.tls.LocalCa;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.util.function.Supplier;

/**
 * {@code ca.pem} (SPEC §11): the local CA's certificate, for clients to trust. Open: a certificate
 * is public, and a client setting up its trust has no admin token yet. The CA is made on first need,
 * on a worker (it writes its key file).
 */
public final class CaRoutes {
  private final Vertx vertx;
  private final Supplier<LocalCa> ca;

  public CaRoutes(Vertx vertx, Supplier<LocalCa> ca) {
    this.vertx = vertx;
    this.ca = ca;
  }

  void pem(AdminCall call) {
    vertx.executeBlocking(() -> ca.get().certificatePem(), false).onComplete(done -> {
      if (done.failed()) {
        OperatorRoutes.fail(call.request(), done.cause());
        return;
      }
      call.request()
          .response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-pem-file")
          .putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"tempmedia-ca.pem\"")
          .end(Buffer.buffer(done.result()));
    });
  }
}
