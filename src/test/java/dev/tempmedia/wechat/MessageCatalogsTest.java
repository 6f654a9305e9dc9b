package dev.tempmedia.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.config.TempmediaConfig.RuleSetName;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.media.rules.RuleBook;
import dev.tempmedia.wechat.messages.MediaField;
import dev.tempmedia.wechat.messages.MessageCatalog;
import dev.tempmedia.wechat.messages.MessageChannel;
import dev.tempmedia.wechat.messages.MessageType;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every media field of every product's message catalogs takes only types that product uploads. */
class MessageCatalogsTest {
  @ParameterizedTest
  @EnumSource(Product.class)
  void mediaFieldsTakeOnlyTypesTheProductUploads(Product product) {
    RuleBook rules = RuleBook.load();
    Set<String> uploads = rules.types(RuleSetName.CURRENT, product).stream()
        .map(MediaType::wireName)
        .collect(Collectors.toSet());
    int channels = 0;
    for (MessageChannel channel : MessageChannel.values()) {
      MessageCatalog catalog = product.profile().messages(channel).orElse(null);
      if (catalog == null) {
        continue;
      }
      channels++;
      assertThat(catalog.names()).contains("text");
      for (MessageType type : catalog.types().values()) {
        for (MediaField field : type.media()) {
          assertThat(field.path()).as(product + " " + type.name()).startsWith(type.name() + ".");
          assertThat(uploads).as(product + " " + field.path()).containsAll(field.accepts());
        }
      }
    }
    assertThat(channels).as(product + " sends by some channel").isPositive();
  }
}
