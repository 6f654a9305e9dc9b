package dev.tempmedia.auth;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.state.StateStore;
import dev.tempmedia.state.TokenLine;
import dev.tempmedia.state.TokenLineKey;
import dev.tempmedia.wechat.Durations;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Issues, renews and checks access tokens with WeChat's rotation rules (SPEC §2). The rules live
 * here; the {@link StateStore} only remembers where each token line stands. Every answer is a
 * {@link CompletionStage}: the store may have to wait for its disk or for Redis, never an event loop.
 * Refusals fail the stage with a {@link WeChatException} (possibly wrapped in a
 * {@link java.util.concurrent.CompletionException}).
 */
public final class TokenService {
  /** A token lives two hours, as WeChat's do. */
  public static final long LIFETIME_SECONDS = 7200;
  /** A superseded /cgi-bin/token token keeps working this long; renewals happen inside this window. */
  public static final long GRACE_SECONDS = 300;
  /** Concurrent renewals race on a compare-and-set; a loser re-reads, so a few rounds always suffice. */
  private static final int RENEW_ATTEMPTS = 8;

  private final AppRegistry apps;
  private final StateStore state;
  private final TokenCodec codec;
  private final ServerClock clock;

  public TokenService(AppRegistry apps, StateStore state, ServerKeys keys, ServerClock clock) {
    this.apps = apps;
    this.state = state;
    this.codec = new TokenCodec(keys.tokens());
    this.clock = clock;
  }

  /** /cgi-bin/token: always a new token; the one before it keeps a 5-minute grace. */
  public CompletionStage<IssuedToken> issue(App app) {
    long now = clock.epochSecond();
    TokenLineKey key = new TokenLineKey(app.id(), TokenKind.PLAIN.lineName(0));
    return state
        .appEpochFresh(app.id())
        .thenCompose(
            epoch -> state.issue(key, new TokenLine.Issue(now, epoch, now + GRACE_SECONDS)))
        .thenApply(
            line -> new IssuedToken(encode(TokenKind.PLAIN, app, 0, line), LIFETIME_SECONDS));
  }

  /**
   * /cgi-bin/stable_token: the current token while it has more than 5 minutes left; otherwise a new
   * one, the old one staying valid until it expires. {@code forceRefresh} issues a new one and ends
   * the old one at once.
   */
  public CompletionStage<IssuedToken> stable(App app, boolean forceRefresh) {
    return renewing(TokenKind.STABLE, app, 0, forceRefresh, 0);
  }

  /** WeCom /cgi-bin/gettoken: the same token while it has more than 5 minutes left, per secret. */
  public CompletionStage<IssuedToken> wecom(App corp, int secretIndex) {
    return renewing(TokenKind.WECOM, corp, secretIndex, false, 0);
  }

  private CompletionStage<IssuedToken> renewing(
      TokenKind kind, App app, int secretIndex, boolean force, int attempt) {
    TokenLineKey key = new TokenLineKey(app.id(), kind.lineName(secretIndex));
    if (attempt == RENEW_ATTEMPTS) {
      return CompletableFuture.failedFuture(new WeChatException(
          ErrorCode.SYSTEM_ERROR,
          app.product(),
          "token line " + key + " kept changing under concurrent renewals; try again"));
    }
    long now = clock.epochSecond();
    return state
        .appEpochFresh(app.id())
        .thenCombine(state.tokenLineFresh(key), (epoch, line) -> {
          boolean current = line.issued() && line.epoch() == epoch;
          long remaining = line.issuedAt() + LIFETIME_SECONDS - now;
          if (!force && current && remaining > GRACE_SECONDS) {
            return CompletableFuture.completedFuture(new IssuedToken(
                encode(kind, app, secretIndex, line), Math.min(remaining, LIFETIME_SECONDS)));
          }
          long previousValidUntil = force || !current ? now : line.issuedAt() + LIFETIME_SECONDS;
          return state
              .issueIf(key, line.generation(), new TokenLine.Issue(now, epoch, previousValidUntil))
              .thenCompose(issued -> issued.isPresent()
                  ? CompletableFuture.completedFuture(new IssuedToken(
                      encode(kind, app, secretIndex, issued.get()), LIFETIME_SECONDS))
                  : renewing(kind, app, secretIndex, force, attempt + 1));
        })
        .thenCompose(next -> next);
  }

  /** Every token of the app stops working now; the next token call issues a new one. Completes with how many were live. */
  public CompletionStage<Integer> invalidateAll(App app) {
    long now = clock.epochSecond();
    List<CompletableFuture<TokenLine>> lines = linesOf(app).stream()
        .map(key -> state.tokenLine(key).toCompletableFuture())
        .toList();
    return state
        .appEpoch(app.id())
        .thenCombine(
            CompletableFuture.allOf(lines.toArray(CompletableFuture[]::new)), (epoch, all) -> {
              int live = 0;
              for (CompletableFuture<TokenLine> read : lines) {
                TokenLine line = read.join();
                if (line.issued()
                    && line.epoch() == epoch
                    && line.issuedAt() + LIFETIME_SECONDS > now) {
                  live++;
                  if (line.previousValidUntil() > now && line.generation() > 1) {
                    live++;
                  }
                }
              }
              return live;
            })
        .thenCompose(live -> state.bumpAppEpoch(app.id()).thenApply(epoch -> live));
  }

  private List<TokenLineKey> linesOf(App app) {
    return switch (app.product().profile().tokens()) {
      case CORP_SECRET ->
        java.util.stream.IntStream.range(0, app.secrets().size())
            .mapToObj(i -> new TokenLineKey(app.id(), TokenKind.WECOM.lineName(i)))
            .toList();
      case APP_SECRET ->
        List.of(
            new TokenLineKey(app.id(), TokenKind.PLAIN.lineName(0)),
            new TokenLineKey(app.id(), TokenKind.STABLE.lineName(0)));
    };
  }

  /**
   * The app a token names, if it is genuine (signature only: it may be expired or superseded). For
   * routing decisions that must not fail, such as which fault rule applies; never for authorising.
   */
  public CompletionStage<Optional<App>> claimedApp(String accessToken) {
    if (accessToken == null || accessToken.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return codec
        .decode(accessToken)
        .map(claims -> apps.lookup(claims.appId()))
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
  }

  /**
   * Who is calling, or the WeChat error a media call answers: 41001 missing, 40001 unreadable or
   * forged, 42001 expired, and for a genuine token that was superseded or invalidated the product's
   * own code (40001; WeCom 40014). Completes at once when the store answers from memory.
   */
  public CompletionStage<Caller> authenticate(String accessToken) {
    if (accessToken == null || accessToken.isEmpty()) {
      return CompletableFuture.failedFuture(new WeChatException(
          ErrorCode.ACCESS_TOKEN_MISSING, "the access_token query parameter is missing or empty"));
    }
    Optional<TokenClaims> decoded = codec.decode(accessToken);
    if (decoded.isEmpty()) {
      return CompletableFuture.failedFuture(new WeChatException(
          ErrorCode.INVALID_CREDENTIAL,
          "access_token was not issued by this server: its format or signature is wrong"
              + " (was it copied whole? was the server's signing key changed?)"));
    }
    TokenClaims claims = decoded.get();
    long now = clock.epochSecond();
    return apps.lookup(claims.appId()).thenCompose(found -> {
      App app = found.orElseThrow(() -> new WeChatException(
          ErrorCode.INVALID_CREDENTIAL,
          "access_token belongs to app " + claims.appId()
              + ", which no longer exists on this server"));
      if (claims.secretIndex() >= app.secrets().size()) {
        throw invalid(
            app,
            "access_token was issued for a secret of " + app.id()
                + " that is no longer configured");
      }
      long expiresAt = claims.issuedAt() + LIFETIME_SECONDS;
      if (now >= expiresAt) {
        throw new WeChatException(
            ErrorCode.ACCESS_TOKEN_EXPIRED,
            app.product(),
            "access_token expired at " + at(expiresAt) + ", " + Durations.spoken(now - expiresAt)
                + " ago (tokens live " + LIFETIME_SECONDS + " s from " + at(claims.issuedAt())
                + ")");
      }
      return state
          .appEpoch(app.id())
          .thenCompose(epoch -> claims.epoch() > epoch
              ? state.appEpochFresh(app.id()) // newer than this instance has heard of
              : CompletableFuture.completedFuture(epoch))
          .thenCompose(epoch -> {
            if (claims.epoch() != epoch) {
              throw invalid(
                  app,
                  "every token of " + app.id() + " was invalidated (admin route or secret rotation)"
                      + " after this one was issued at " + at(claims.issuedAt())
                      + "; fetch a new token");
            }
            return state.tokenLine(claims.line());
          })
          .thenCompose(line -> claims.generation() > line.generation()
              ? state.tokenLineFresh(claims.line()) // issued by another instance a moment ago
              : CompletableFuture.completedFuture(line))
          .thenApply(line -> standing(app, claims, line, now));
    });
  }

  /** The caller, if the token stands on its line now; otherwise why it does not. */
  private static Caller standing(App app, TokenClaims claims, TokenLine line, long now) {
    if (claims.generation() == line.generation() && claims.issuedAt() == line.issuedAt()) {
      return new Caller(app, claims.secretIndex());
    }
    if (claims.generation() == line.generation() - 1 && now < line.previousValidUntil()) {
      return new Caller(app, claims.secretIndex());
    }
    if (claims.generation() == line.generation() - 1) {
      String why = line.previousValidUntil() <= line.issuedAt()
          ? "it was ended at once by a force_refresh at " + at(line.issuedAt())
          : "the grace ended at " + at(line.previousValidUntil());
      throw invalid(
          app,
          "access_token was superseded by one issued at " + at(line.issuedAt()) + "; " + why
              + " (did another server or process fetch a token for " + app.id() + "?)");
    }
    throw invalid(
        app,
        "access_token is generation " + claims.generation() + " of its line, which is now at "
            + line.generation() + ": newer tokens were issued since (at " + at(line.issuedAt())
            + " the latest); only the newest and, briefly, the one before it are valid");
  }

  private static WeChatException invalid(App app, String diagnosis) {
    return new WeChatException(app.dialect().invalidToken(), app.product(), diagnosis);
  }

  private String encode(TokenKind kind, App app, int secretIndex, TokenLine line) {
    return codec.encode(new TokenClaims(
        kind, app.id(), secretIndex, line.epoch(), line.generation(), line.issuedAt()));
  }

  private static String at(long epochSecond) {
    return Instant.ofEpochSecond(epochSecond).toString();
  }
}
