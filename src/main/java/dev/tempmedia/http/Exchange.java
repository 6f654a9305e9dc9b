package dev.tempmedia.http;

import dev.tempmedia.wechat.Dialect;
import dev.tempmedia.wechat.Product;
import dev.tempmedia.wechat.RequestId;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * One request on its way through the server: the Vert.x request, its id, and what handlers learn
 * about it (the app, the outcome) for the error renderer, the access log and the inspector.
 */
public final class Exchange {
  private final HttpServerRequest request;
  private final RequestId id;
  private final long startNanos = System.nanoTime();
  private final long startedAtMillis;
  private String endpoint = "unmatched";
  private boolean answered;
  private boolean finished;
  private boolean dropped;
  private Dialect dialect = Dialect.OFFICIAL_ACCOUNT;
  private String appId;
  private Product product;
  private int errcode;
  private String errmsg;
  private String diagnosis;
  private int bodyHolds;
  private boolean continueSent;
  private boolean closeAfterResponse;
  private boolean tokenAccepted;
  private String requestBody;
  private byte[] responseBody;
  private Via via = Via.HTTP;
  /** Whether the query needs no decoding ({@link PlainQuery#isPlain}), once asked; null before. */
  private Boolean plainQuery;

  public Exchange(HttpServerRequest request, RequestId id, long startedAtMillis) {
    this.request = request;
    this.id = id;
    this.startedAtMillis = startedAtMillis;
  }

  /** Which way it came in: the plain port, HTTPS, or the forward proxy. */
  public Via via() {
    return via;
  }

  void via(Via via) {
    this.via = via;
  }

  /** When it arrived, by the server clock (which the emulator may have moved). */
  public long startedAtMillis() {
    return startedAtMillis;
  }

  /** The route that serves it, by the path it was declared under ("unmatched" when none does). */
  public String endpoint() {
    return endpoint;
  }

  void endpoint(String name) {
    this.endpoint = name;
  }

  /** True the first time only: the answer's head is going out (or the connection was dropped without one). */
  boolean markAnswered() {
    if (answered) {
      return false;
    }
    answered = true;
    return true;
  }

  /** True the first time only: an exchange is reported once, whether it ended or its connection was dropped. */
  boolean markFinished() {
    if (finished) {
      return false;
    }
    finished = true;
    return true;
  }

  public HttpServerRequest request() {
    return request;
  }

  public RequestId id() {
    return id;
  }

  public String param(String name) {
    String query = request.query();
    if (plainQuery == null) {
      plainQuery = PlainQuery.isPlain(query);
    }
    String plain = plainQuery ? PlainQuery.firstOfPlain(query, name) : PlainQuery.NOT_PLAIN;
    if (plain != PlainQuery.NOT_PLAIN) {
      return plain;
    }
    try {
      return request.getParam(name);
    } catch (IllegalArgumentException e) {
      // A broken escape anywhere in the query (Vert.x then refuses all of it, with a message that
      // quotes the whole URI, credentials included): read this parameter on its own instead.
      return LenientQuery.first(request.query(), name);
    }
  }

  /** The dialect errors are answered in until an app is known (the endpoint decides it). */
  public Dialect dialect() {
    return dialect;
  }

  public Exchange dialect(Dialect dialect) {
    this.dialect = dialect;
    return this;
  }

  /** Records the calling app: errors from here on speak its product's dialect. */
  public void caller(String appId, Product product) {
    this.appId = appId;
    this.product = product;
    this.dialect = Dialect.of(product);
  }

  /** The request carried a valid access_token of its caller (rid/get explains only such requests). */
  void acceptToken() {
    this.tokenAccepted = true;
  }

  public boolean tokenAccepted() {
    return tokenAccepted;
  }

  /** The JSON body as read, for rid/get; set only by routes that take a token, never the token endpoints. */
  void requestBody(String body) {
    this.requestBody = body;
  }

  public String requestBody() {
    return requestBody;
  }

  /** The JSON answer as written, kept only for requests whose token was accepted (rid/get shows it). */
  void responseBody(byte[] body) {
    this.responseBody = body;
  }

  public byte[] responseBody() {
    return responseBody;
  }

  public String appId() {
    return appId;
  }

  public Product product() {
    return product;
  }

  void outcome(int errcode, String errmsg, String diagnosis) {
    this.errcode = errcode;
    this.errmsg = errmsg;
    this.diagnosis = diagnosis;
  }

  /** The connection was closed without an answer (an injected fault). */
  void dropped() {
    this.dropped = true;
  }

  public boolean wasDropped() {
    return dropped;
  }

  /** Whether the client waits for "100 Continue" before it sends the body. */
  public boolean expectsContinue() {
    String expect = request.getHeader("Expect");
    return expect != null && expect.equalsIgnoreCase("100-continue");
  }

  /** Tells a client that waits for it to send the body; once. */
  public void sendContinue() {
    if (expectsContinue() && !continueSent) {
      continueSent = true;
      request.response().writeContinue();
    }
  }

  public boolean continueSent() {
    return continueSent;
  }

  /** The connection ends with this answer: the client holds back a body it will now never send. */
  void closeAfterResponse() {
    closeAfterResponse = true;
  }

  boolean closesAfterResponse() {
    return closeAfterResponse;
  }

  public int errcode() {
    return errcode;
  }

  public String errmsg() {
    return errmsg;
  }

  public String diagnosis() {
    return diagnosis;
  }

  public long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  public double elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000.0;
  }

  public String clientIp() {
    SocketAddress remote = request.remoteAddress();
    return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
  }

  /**
   * Holds the request body back until every holder has let go: a fault's delay and a route's pending
   * look-up may overlap, and the body must flow only once the route's handlers are set. On the event
   * loop only.
   */
  public void holdBody() {
    if (bodyHolds++ == 0) {
      request.pause();
    }
  }

  /** Lets go of one {@link #holdBody} hold; the body flows when none is left. */
  public void releaseBody() {
    if (bodyHolds > 0 && --bodyHolds == 0 && !request.isEnded()) {
      request.resume();
    }
  }
}
