package dev.tempmedia.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.state.MemoryStateStore;
import dev.tempmedia.wechat.Product;
import dev.tempmedia.wechat.WeChatException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** WeChat's rotation rules (SPEC §2), over the in-memory state store and a clock moved by hand. */
class TokenServiceTest {
  private static final App OA =
      new App(Product.OFFICIAL_ACCOUNT, "wx00000000000000a1", List.of("s-oa"), null);
  private static final App CORP =
      new App(Product.WECOM, "ww00000000000000c1", List.of("s-0", "s-1"), null);

  private final ServerClock clock =
      new ServerClock(Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC));
  private final MemoryStateStore state = new MemoryStateStore();
  private final TokenService tokens = new TokenService(
      new AppRegistry(List.of(OA, CORP)),
      state,
      ServerKeys.resolve(new TempmediaConfig.Security(null), state),
      clock);

  private static <T> T now(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  /** The errcode a media call would answer for this token, 0 when it is accepted. */
  private int check(IssuedToken token) {
    try {
      now(tokens.authenticate(token.accessToken()));
      return 0;
    } catch (CompletionException e) {
      return ((WeChatException) e.getCause()).error().code();
    }
  }

  private void advance(long seconds) {
    clock.advance(Duration.ofSeconds(seconds));
  }

  @Test
  void everyTokenCallIssuesANewTokenAndThePreviousOneKeeps300SecondsOfGrace() {
    IssuedToken first = now(tokens.issue(OA));
    advance(1);
    IssuedToken second = now(tokens.issue(OA));
    assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(second.expiresIn()).isEqualTo(TokenService.LIFETIME_SECONDS);
    advance(299);
    assertThat(check(first)).as("299 s after it was superseded").isZero();
    advance(1);
    assertThat(check(first)).as("300 s after it was superseded").isEqualTo(40001);
    assertThat(check(second)).isZero();
  }

  @Test
  void onlyTheTokenJustBeforeTheNewestHasAGrace() {
    IssuedToken first = now(tokens.issue(OA));
    IssuedToken second = now(tokens.issue(OA));
    IssuedToken third = now(tokens.issue(OA));
    assertThat(check(first)).isEqualTo(40001);
    assertThat(check(second)).isZero();
    assertThat(check(third)).isZero();
  }

  @Test
  void aTokenExpiresAfter7200Seconds() {
    IssuedToken token = now(tokens.issue(OA));
    advance(7199);
    assertThat(check(token)).isZero();
    advance(1);
    assertThat(check(token)).isEqualTo(42001);
  }

  @Test
  void theStableTokenStaysTheSameWhileItHasMoreThan300SecondsLeft() {
    IssuedToken first = now(tokens.stable(OA, false));
    advance(6899);
    IssuedToken again = now(tokens.stable(OA, false));
    assertThat(again.accessToken()).isEqualTo(first.accessToken());
    assertThat(again.expiresIn()).isEqualTo(301);
    advance(1);
    IssuedToken renewed = now(tokens.stable(OA, false));
    assertThat(renewed.accessToken()).as("300 s left: renewed").isNotEqualTo(first.accessToken());
    assertThat(renewed.expiresIn()).isEqualTo(7200);
    assertThat(check(first)).as("the old one stays valid until its own expiry").isZero();
    advance(299);
    assertThat(check(first)).isZero();
    advance(1);
    assertThat(check(first)).isEqualTo(42001);
    assertThat(check(renewed)).isZero();
  }

  @Test
  void forceRefreshIssuesANewStableTokenAndEndsTheOldOneAtOnce() {
    IssuedToken old = now(tokens.stable(OA, false));
    IssuedToken fresh = now(tokens.stable(OA, true));
    assertThat(fresh.accessToken()).isNotEqualTo(old.accessToken());
    assertThat(check(old)).isEqualTo(40001);
    assertThat(check(fresh)).isZero();
  }

  @Test
  void theStableAndThePlainLinesAreIndependent() {
    IssuedToken stable = now(tokens.stable(OA, false));
    now(tokens.issue(OA));
    now(tokens.issue(OA));
    assertThat(check(stable)).isZero();
    assertThat(now(tokens.stable(OA, false)).accessToken()).isEqualTo(stable.accessToken());
  }

  @Test
  void weComKeepsOneLinePerSecret() {
    IssuedToken zero = now(tokens.wecom(CORP, 0));
    IssuedToken one = now(tokens.wecom(CORP, 1));
    assertThat(one.accessToken()).isNotEqualTo(zero.accessToken());
    advance(100);
    assertThat(now(tokens.wecom(CORP, 0)).accessToken()).isEqualTo(zero.accessToken());
    assertThat(now(tokens.wecom(CORP, 0)).expiresIn()).isEqualTo(7100);
    assertThat(check(zero)).isZero();
    assertThat(check(one)).isZero();
    assertThat(now(tokens.authenticate(one.accessToken())).secretIndex()).isEqualTo(1);
  }

  @Test
  void invalidatingAnAppEndsEveryTokenOfItsEpochAndCountsTheLiveOnes() {
    IssuedToken previous = now(tokens.issue(OA));
    IssuedToken plain = now(tokens.issue(OA));
    IssuedToken stable = now(tokens.stable(OA, false));
    assertThat(now(tokens.invalidateAll(OA)))
        .as("plain, its predecessor in grace, stable")
        .isEqualTo(3);
    assertThat(check(previous)).isEqualTo(40001);
    assertThat(check(plain)).isEqualTo(40001);
    assertThat(check(stable)).isEqualTo(40001);
    IssuedToken after = now(tokens.stable(OA, false));
    assertThat(after.accessToken())
        .as("a stable token of an older epoch is not current")
        .isNotEqualTo(stable.accessToken());
    assertThat(check(after)).isZero();
    assertThat(check(now(tokens.issue(OA)))).isZero();
  }

  @Test
  void anInvalidatedWeComTokenAnswers40014() {
    IssuedToken token = now(tokens.wecom(CORP, 0));
    assertThat(now(tokens.invalidateAll(CORP))).isEqualTo(1);
    assertThat(check(token)).isEqualTo(40014);
  }

  @Test
  void missingForgedAndUnknownTokensAreRefused() {
    assertThat(check(new IssuedToken("", 0))).isEqualTo(41001);
    assertThat(check(new IssuedToken("not-a-token", 0))).isEqualTo(40001);
    IssuedToken other = new TokenService(
            new AppRegistry(List.of(OA)),
            new MemoryStateStore(),
            ServerKeys.resolve(new TempmediaConfig.Security(null), new MemoryStateStore()),
            clock)
        .issue(OA)
        .toCompletableFuture()
        .join();
    assertThat(check(other)).as("signed with another key").isEqualTo(40001);
  }
}
