package dev.tempmedia.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The services' {@link CompletionStage}s as Vert.x futures on the calling event loop. A stage that is
 * already complete (an answer from memory) becomes a completed future at once, with no thread hop; one
 * that completes later (on the journal writer's or Lettuce's threads) is handed back to the event loop
 * that asked, so routes never run on the state store's threads.
 */
final class Stages {
  private Stages() {}

  static <T> Future<T> onLoop(CompletionStage<T> stage) {
    CompletableFuture<T> f = stage.toCompletableFuture();
    if (f.isDone()) {
      try {
        return Future.succeededFuture(f.join());
      } catch (CompletionException | CancellationException e) {
        return Future.failedFuture(unwrapped(e));
      }
    }
    Context context = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    f.whenComplete((value, failure) -> {
      if (context == null) {
        settle(promise, value, failure);
      } else {
        context.runOnContext(v -> settle(promise, value, failure));
      }
    });
    return promise.future();
  }

  /**
   * {@code next} with the value of {@code first}. While {@code first} is pending the body is held
   * back, so no chunk arrives before {@code next} has set its handlers; it is let go once they are set.
   */
  static <T, R> Future<R> paused(Exchange ex, Future<T> first, Function<T, Future<R>> next) {
    if (first.isComplete()) {
      return first.compose(next);
    }
    ex.holdBody();
    return first.compose(
        value -> {
          try {
            return next.apply(value);
          } finally {
            ex.releaseBody();
          }
        },
        failure -> {
          ex.releaseBody();
          return Future.failedFuture(failure);
        });
  }

  /** The cause a stage failed with, without the wrapping a dependent stage adds. */
  static Throwable unwrapped(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static <T> void settle(Promise<T> promise, T value, Throwable failure) {
    if (failure != null) {
      promise.fail(unwrapped(failure));
    } else {
      promise.complete(value);
    }
  }
}
