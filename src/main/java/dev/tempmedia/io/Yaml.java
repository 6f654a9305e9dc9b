package dev.tempmedia.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The one YAML mapper of the process, for the files a person writes: the configuration
 * ({@code ConfigLoader}) and the rule sets ({@code RuleBook}). Strict, so that a mistyped key, a
 * missing number or a number where a name belongs stops the start with the key named instead of
 * reading as a default. One mapper rather than one per file for the reason {@link Json} gives; it
 * lives apart from {@link Json} so that code which only writes JSON never loads the YAML parser.
 */
public final class Yaml {
  public static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

  private Yaml() {}
}
