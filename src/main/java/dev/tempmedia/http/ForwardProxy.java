package dev.tempmedia.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * The forward-proxy port (SPEC §11): SDKs that hard-code WeChat's hosts reach tempmedia through it.
 * It is never a relay: a {@code CONNECT} to one of the WeChat hosts on 443 is tunnelled to
 * tempmedia's own TLS listener on loopback (which ends TLS with the CA's leaf and serves the request
 * like any other); an absolute-form request to one of them ({@code GET http://api.weixin.qq.com/…}) is
 * served here; anything else — another host, a WeChat host on another port, a request that is not
 * addressed to a proxy — is refused with 403, and no connection is opened to the host it names.
 *
 * <p>The tunnel's first bytes are a PROXY protocol v1 line with the client's address, so the TLS
 * listener (which takes PROXY lines) records the real client, not loopback.
 */
public final class ForwardProxy implements Handler<HttpServerRequest> {
  private final Set<String> hosts;
  private final Handler<HttpServerRequest> served;
  private final int tunnelPort;
  private final int apiPort;
  private final NetClient loopback;

  /**
   * @param hosts      the host names answered (the WeChat hosts), lower case
   * @param served     what serves an absolute-form request (the dispatcher, as {@link Via#PROXY})
   * @param tunnelPort the loopback port of the TLS listener that CONNECT tunnels reach
   * @param apiPort    the plain API port, named in refusals
   */
  public ForwardProxy(
      Vertx vertx,
      Collection<String> hosts,
      Handler<HttpServerRequest> served,
      int tunnelPort,
      int apiPort,
      int idleTimeoutSeconds) {
    this.hosts = Set.copyOf(hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
    this.served = served;
    this.tunnelPort = tunnelPort;
    this.apiPort = apiPort;
    this.loopback = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout(5_000)
        .setIdleTimeout(idleTimeoutSeconds)
        .setTcpNoDelay(true));
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (request.method() == HttpMethod.CONNECT) {
      connect(request);
      return;
    }
    String uri = request.uri();
    String scheme = uri.regionMatches(true, 0, "http://", 0, 7)
        ? "http"
        : uri.regionMatches(true, 0, "https://", 0, 8) ? "https" : null;
    if (scheme == null) {
      refuse(
          request,
          "this is tempmedia's forward proxy: it takes CONNECT api.weixin.qq.com:443 or an"
              + " absolute-form request (GET http://api.weixin.qq.com/cgi-bin/…); the API itself"
              + " answers on port " + apiPort);
      return;
    }
    HostAndPort target = target(request);
    int defaultPort = scheme.equals("http") ? 80 : 443;
    if (target == null || !answers(target.host(), target.port(), defaultPort)) {
      refuse(request, refusal(target, defaultPort));
      return;
    }
    served.handle(request);
  }

  private void connect(HttpServerRequest request) {
    HostAndPort target = target(request);
    if (target != null && target.port() <= 0) {
      // Said plainly: refusal() would name the missing port as 443, the very port that is answered.
      refuse(
          request, "CONNECT names host:port (CONNECT " + target.host() + ":443); it named no port");
      return;
    }
    if (target == null || !answers(target.host(), target.port(), 443)) {
      refuse(request, refusal(target, 443));
      return;
    }
    SocketAddress client = request.remoteAddress();
    request.toNetSocket().onSuccess(socket -> {
      socket.pause();
      loopback.connect(tunnelPort, "127.0.0.1").onComplete(connected -> {
        if (connected.failed()) {
          socket.close();
          return;
        }
        NetSocket server = connected.result();
        server.write(proxyLine(client));
        socket.pipeTo(server);
        server.pipeTo(socket);
      });
    });
  }

  /**
   * The host a proxy request is for: its request-target ({@code CONNECT host:port}, or the authority
   * of an absolute-form URI), never the Host header, which RFC 9112 §3.2.2 says a proxy ignores here
   * and which clients fill differently (https-proxy-agent, undici and HttpClient send a CONNECT's Host
   * without the port). Null when the target names no host.
   */
  static HostAndPort target(HttpServerRequest request) {
    String uri = request.uri();
    String authority;
    if (request.method() == HttpMethod.CONNECT) {
      authority = uri;
    } else {
      int start = uri.indexOf("://") + 3;
      int end = start;
      while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
        end++;
      }
      authority = uri.substring(start, end);
      authority = authority.substring(authority.lastIndexOf('@') + 1);
    }
    HostAndPort parsed = authority.isEmpty() ? null : HostAndPort.parseAuthority(authority, -1);
    return parsed == null || parsed.host().isEmpty() ? null : parsed;
  }

  private boolean answers(String host, int port, int defaultPort) {
    return hosts.contains(host.toLowerCase(Locale.ROOT))
        && (port == -1 ? defaultPort : port) == defaultPort;
  }

  private String refusal(HostAndPort target, int defaultPort) {
    String named = target == null
        ? "no host"
        : target.host() + ":" + (target.port() == -1 ? defaultPort : target.port());
    return "tempmedia's proxy answers only for " + hosts.stream().sorted().toList() + " on port "
        + defaultPort + "; it refused " + named + " and opened no connection to it";
  }

  /** 403 with the reason; the connection closes (a client that asked to be relayed gets nothing more). */
  private static void refuse(HttpServerRequest request, String why) {
    byte[] body =
        ("{\"error\":\"" + why.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
    request
        .response()
        .setStatusCode(403)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(Buffer.buffer(body))
        .onComplete(v -> request.connection().close());
  }

  /** {@code PROXY TCP4 <client> 127.0.0.1 <client port> <tunnel port>}: where the tunnel came from. */
  private Buffer proxyLine(SocketAddress client) {
    String host = client == null ? null : client.hostAddress();
    if (host == null) {
      return Buffer.buffer("PROXY UNKNOWN\r\n");
    }
    boolean v6 = host.contains(":");
    String to = v6 ? "::1" : "127.0.0.1";
    return Buffer.buffer("PROXY " + (v6 ? "TCP6 " : "TCP4 ") + host + " " + to + " " + client.port()
        + " " + tunnelPort + "\r\n");
  }
}
