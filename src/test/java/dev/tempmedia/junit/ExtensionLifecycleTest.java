package dev.tempmedia.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.http.WeChatApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the extension starts and stops servers, and what it hands over between tests. */
class ExtensionLifecycleTest {
  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class PerClass {
    @RegisterExtension
    static final TempmediaExtension tempmedia = TempmediaExtension.perClass();

    static int port;
    static Path data;

    @Test
    @Order(1)
    void theFirstTestMovesTheClockAndArmsAFault(Tempmedia server) {
      port = server.port();
      data = server.dataDir();
      server.clock().advance(Duration.ofDays(1));
      server.faults().add(FaultRule.on(WeChatApi.MEDIA_UPLOAD).errcode(-1));
      Calls.token(server);
      assertThat(server.requests().size()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void theNextTestHasTheSameServerWithItsClockFaultsAndQueuesReset(Tempmedia server) {
      assertThat(server.port()).isEqualTo(port);
      assertThat(server.clock().offset()).isZero();
      assertThat(server.faults().list()).isEmpty();
      assertThat(server.requests().size()).isZero();
      assertThat(server.dataDir()).isEqualTo(data);
    }
  }

  @Nested
  class PerMethod {
    @RegisterExtension
    final TempmediaExtension tempmedia = TempmediaExtension.perMethod();

    static final List<Path> dirs = new ArrayList<>();
    Tempmedia fromBeforeEach;

    @BeforeEach
    void start(Tempmedia server) {
      fromBeforeEach = server;
    }

    @Test
    void one(Tempmedia server) {
      check(server);
    }

    @Test
    void two(Tempmedia server) {
      check(server);
    }

    private void check(Tempmedia server) {
      assertThat(server).isSameAs(fromBeforeEach);
      for (Path earlier : dirs) {
        assertThat(earlier).as("an earlier test's data directory").doesNotExist();
      }
      dirs.add(server.dataDir());
      assertThat(server.requests().size()).isZero();
    }
  }

  @Nested
  @ExtendWith(TempmediaExtension.class)
  class WithExtendWith {
    @Test
    void aServerPerClassWithTheDefaults(Tempmedia server) {
      assertThat(server.server().config().devMode()).isTrue();
    }
  }

  @Nested
  class Configured {
    @RegisterExtension
    static final TempmediaExtension tempmedia = TempmediaExtension.perClass()
        .set("inspector.capacity", "7")
        .configYaml("rules: classic-2013\n");

    @Test
    void settingsAndYamlReachTheServer(Tempmedia server) {
      assertThat(server.server().config().inspector().capacity()).isEqualTo(7);
      assertThat(server.server().config().rules().toString()).isEqualToIgnoringCase("classic_2013");
    }
  }
}
