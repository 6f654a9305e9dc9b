package dev.tempmedia.junit;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts tempmedia in the test's JVM and stops it again; a test method, a {@code @BeforeEach} or
 * {@code @BeforeAll} method or the test's constructor may take the {@link Tempmedia} as a parameter.
 *
 * <pre>{@code
 * class MediaTest {
 *   @RegisterExtension
 *   static final TempmediaExtension tempmedia = TempmediaExtension.perClass();
 *
 *   @Test
 *   void uploads(Tempmedia server) { … server.baseUrl() … }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #perClass()}: one server for the test class (started before its first test, stopped
 *       after its last). Between two tests the clock is reset, the fault rules cleared and the queued
 *       requests and messages dropped; media, apps, tokens and the outbox stay.
 *   <li>{@link #perMethod()}: a fresh server with an empty data directory for every test: about 0.15
 *       s more per test once the JVM has started its first server (docs/testing.md).
 *   <li>{@code @ExtendWith(TempmediaExtension.class)}: per class, with the defaults.
 * </ul>
 *
 * Registered on an instance field instead of a static one, a {@code perClass()} extension is made
 * anew with each test instance and so behaves as {@code perMethod()}. The settings methods ({@link
 * #set}, {@link #configYaml}, {@link #s3}, {@link #redis}, {@link #configure}) apply to every server
 * this extension starts.
 */
public final class TempmediaExtension
    implements BeforeAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AfterAllCallback,
        ParameterResolver {
  private final boolean perMethod;
  private final Tempmedia.Builder settings = Tempmedia.builder();

  /** The servers running, by the unique id of the class or test they belong to. */
  private final Map<String, Tempmedia> running = new ConcurrentHashMap<>();

  /** For {@code @ExtendWith(TempmediaExtension.class)}: one server per class. */
  public TempmediaExtension() {
    this(false);
  }

  private TempmediaExtension(boolean perMethod) {
    this.perMethod = perMethod;
  }

  /** One server for all tests of the class; reset between them (clock, faults, queues). */
  public static TempmediaExtension perClass() {
    return new TempmediaExtension(false);
  }

  /** A new server, with a new data directory, for each test. */
  public static TempmediaExtension perMethod() {
    return new TempmediaExtension(true);
  }

  /** A configuration key by its path for every server started ({@link Tempmedia.Builder#set}). */
  public TempmediaExtension set(String key, String value) {
    settings.set(key, value);
    return this;
  }

  /** A YAML configuration for every server started ({@link Tempmedia.Builder#configYaml}). */
  public TempmediaExtension configYaml(String yaml) {
    settings.configYaml(yaml);
    return this;
  }

  /** Media in your own S3-compatible store ({@link Tempmedia.Builder#s3}). */
  public TempmediaExtension s3(String endpoint, String bucket, String accessKey, String secretKey) {
    settings.s3(endpoint, bucket, accessKey, secretKey);
    return this;
  }

  /** State in your own Redis ({@link Tempmedia.Builder#redis}). */
  public TempmediaExtension redis(String uri) {
    settings.redis(uri);
    return this;
  }

  /** Any other setting of the {@link Tempmedia.Builder}. */
  public TempmediaExtension configure(Consumer<Tempmedia.Builder> change) {
    change.accept(settings);
    return this;
  }

  /**
   * The server of the test or class that {@code context} belongs to, once started: for code that has
   * the extension at hand rather than a parameter.
   */
  public Tempmedia get(ExtensionContext context) {
    return find(context)
        .orElseThrow(() -> new IllegalStateException(
            "no tempmedia server runs for " + context.getDisplayName() + " yet"));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // A @Nested class shares its outer class's server.
    if (!perMethod && find(context).isEmpty()) {
      running.put(context.getUniqueId(), settings.start());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (find(context).isEmpty()) {
      // per method, or per class on an instance field (no beforeAll was called)
      running.put(context.getUniqueId(), settings.start());
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Tempmedia own = running.remove(context.getUniqueId());
    if (own != null) {
      own.close();
      return;
    }
    find(context).ifPresent(Tempmedia::resetBetweenTests);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Tempmedia own = running.remove(context.getUniqueId());
    if (own != null) {
      own.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Tempmedia.class;
  }

  @Override
  public Tempmedia resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Optional<Tempmedia> found = find(context);
    if (found.isPresent()) {
      return found.get();
    }
    if (perMethod && context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException("a perMethod() server exists only while a test runs:"
          + " take Tempmedia as a parameter of the test or of a @BeforeEach method");
    }
    // A constructor parameter is resolved before beforeEach: start the server now, beforeEach
    // finds it.
    Tempmedia started = settings.start();
    running.put(context.getUniqueId(), started);
    return started;
  }

  /** The server of {@code context} or of the nearest enclosing context that has one. */
  private Optional<Tempmedia> find(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context);
        c.isPresent();
        c = c.get().getParent()) {
      Tempmedia t = running.get(c.get().getUniqueId());
      if (t != null) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
