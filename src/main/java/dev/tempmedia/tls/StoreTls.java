package dev.tempmedia.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS client context of tempmedia's own connections to an {@code https} store (the download
 * relay's, the upload PUTs'): the JDK's provider, the host name checked against the certificate.
 */
public final class StoreTls {
  private StoreTls() {}

  /**
   * The context, built at the first {@code https} store that asks for it.
   *
   * @param trust whom the store's certificate must be issued by; null for the JDK's authorities
   */
  public static Supplier<SslContext> memoized(TrustManagerFactory trust) {
    return new Supplier<>() {
      private SslContext context;

      @Override
      public synchronized SslContext get() {
        if (context == null) {
          try {
            context = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .trustManager(trust)
                .endpointIdentificationAlgorithm("HTTPS")
                .build();
          } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context for the store", e);
          }
        }
        return context;
      }
    };
  }
}
