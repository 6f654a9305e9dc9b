package dev.tempmedia.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProductProfileTest {

  @ParameterizedTest
  @EnumSource(Product.class)
  void everyProductHasOneCompleteProfile(Product product) {
    ProductProfile profile = product.profile();
    assertThat(profile.product()).isEqualTo(product);
    assertThat(profile.dialect().product()).isEqualTo(product);
    assertThat(Dialect.of(product)).isSameAs(profile.dialect());
    assertThat(profile.idField()).isNotNull();
    assertThat(profile.tokens()).isNotNull();
    assertThat(profile.wellKnownApp().id())
        .matches(profile.idPattern().pattern().replace("[0-9a-f]", "[0-9a-f]"));
  }

  @ParameterizedTest
  @EnumSource(Product.class)
  void generatedIdsHaveTheProductsShapeAndDiffer(Product product) {
    ProductProfile profile = product.profile();
    String a = profile.newId();
    assertThat(a).matches(profile.idPattern()).hasSize(18).isNotEqualTo(profile.newId());
  }

  @Test
  void generatedSecretsLookLikeWeChatsOwn() {
    assertThat(ProductProfile.OFFICIAL_ACCOUNT.newSecret()).matches("[0-9a-f]{32}");
    assertThat(ProductProfile.MINI_PROGRAM.newSecret()).matches("[0-9a-f]{32}");
    assertThat(ProductProfile.WECOM.newSecret()).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void theWireDifferencesAreTheDocumentedOnes() {
    assertThat(ProductProfile.OFFICIAL_ACCOUNT.mediaIdLength()).isEqualTo(64);
    assertThat(ProductProfile.MINI_PROGRAM.mediaIdLength()).isEqualTo(64);
    assertThat(ProductProfile.WECOM.mediaIdLength()).isEqualTo(65);
    assertThat(ProductProfile.WECOM.dialect().mediaIdPrefix()).isEqualTo("3");
    assertThat(ProductProfile.WECOM.idField()).isEqualTo(IdField.CORPID);
    assertThat(ProductProfile.OFFICIAL_ACCOUNT.idField()).isEqualTo(IdField.APPID);
    assertThat(ProductProfile.WECOM.tokens()).isEqualTo(TokenFamily.CORP_SECRET);
    assertThat(ProductProfile.MINI_PROGRAM.tokens()).isEqualTo(TokenFamily.APP_SECRET);
    assertThat(ProductProfile.OFFICIAL_ACCOUNT.dialect().okEnvelope()).isFalse();
    assertThat(ProductProfile.MINI_PROGRAM.dialect().okEnvelope()).isTrue();
    assertThat(ProductProfile.WECOM.dialect().tokenOkEnvelope()).isTrue();
    assertThat(ProductProfile.WECOM.dialect().videoAsLink()).isFalse();
    assertThat(ProductProfile.OFFICIAL_ACCOUNT.dialect().videoAsLink()).isTrue();
  }

  @Test
  void onlyTheMiniProgramSpeaksTheCloudCallShapeAndOnlyTheOfficialAccountChoosesRuleSets() {
    assertThat(
            Arrays.stream(Product.values()).filter(p -> p.profile().cloudCall().isPresent()))
        .containsExactly(Product.MINI_PROGRAM);
    assertThat(Arrays.stream(Product.values()).filter(p -> p.profile().ruleSets()))
        .containsExactly(Product.OFFICIAL_ACCOUNT);
    assertThat(Arrays.stream(Product.values()).filter(p -> p.profile().severalSecrets()))
        .containsExactly(Product.WECOM);
  }
}
