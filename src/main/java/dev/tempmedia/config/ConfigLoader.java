package dev.tempmedia.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempmedia.io.Yaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the configuration from, in rising precedence: built-in defaults, the YAML file, environment
 * variables named after key paths ({@code TEMPMEDIA_STORAGE_S3_BUCKET} for {@code storage.s3.bucket};
 * underscores between words of a camelCase key are optional) and command-line flags. A pure function
 * of its inputs, so tests give it any environment they like. Unknown keys and values of the wrong
 * type stop here with a message that names the key.
 */
public final class ConfigLoader {
  static final String ENV_PREFIX = "TEMPMEDIA_";
  /** The YAML file when {@code --config} names none: the flag's environment twin. */
  static final String CONFIG_VARIABLE = "TEMPMEDIA_CONFIG";
  /**
   * Variables that are not server keys: the configuration file's, the command-line client's, and the log
   * level logback reads.
   */
  static final Set<String> OTHER_VARIABLES = Set.of(
      CONFIG_VARIABLE,
      "TEMPMEDIA_URL",
      "TEMPMEDIA_APPID",
      "TEMPMEDIA_CORPID",
      "TEMPMEDIA_SECRET",
      "TEMPMEDIA_LOG_LEVEL");

  private static final ObjectMapper YAML = Yaml.STRICT;

  private ConfigLoader() {}

  /**
   * @param configFile the YAML file, or null for the one {@code TEMPMEDIA_CONFIG} names (none if unset)
   * @param env        the process environment (or a test's)
   * @param flags      key path → value, from command-line flags such as {@code --port}
   */
  public static TempmediaConfig load(
      Path configFile, Map<String, String> env, Map<String, String> flags) {
    ObjectNode tree = defaults();
    Map<String, String> leafPaths = leafPathsByNormalizedName(tree);
    String fromEnv = env.get(CONFIG_VARIABLE);
    Path file =
        configFile != null || fromEnv == null || fromEnv.isBlank() ? configFile : Path.of(fromEnv);
    if (file != null) {
      merge(tree, readFile(file), "");
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX) || OTHER_VARIABLES.contains(name)) {
        continue;
      }
      String normalized = normalize(name.substring(ENV_PREFIX.length()));
      String path = leafPaths.get(normalized);
      if (path == null) {
        throw new ConfigException("environment variable " + name
            + " names no configuration key; known keys: " + String.join(", ", leafPaths.values()));
      }
      set(tree, path, scalar(e.getValue()));
    }
    flags.forEach((path, value) -> set(tree, path, scalar(value)));
    return bind(tree);
  }

  static TempmediaConfig bind(JsonNode tree) {
    try {
      return YAML.treeToValue(tree, TempmediaConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException("unknown key '" + pathOf(e) + "'; known keys here: "
          + e.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", ")));
    } catch (InvalidFormatException e) {
      throw new ConfigException("key '" + pathOf(e) + "': '" + e.getValue() + "' is not a valid "
          + describe(e.getTargetType()));
    } catch (JsonMappingException e) {
      throw new ConfigException("key '" + pathOf(e) + "': " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ConfigException("configuration: " + e.getOriginalMessage());
    }
  }

  private static String describe(Class<?> type) {
    if (type.isEnum()) {
      return "value; use one of "
          + java.util.Arrays.stream(type.getEnumConstants())
              .map(c ->
                  c.toString().toLowerCase(Locale.ROOT).replace("classic_2013", "classic-2013"))
              .collect(Collectors.joining(", "));
    }
    if (type == int.class || type == Integer.class) {
      return "whole number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "boolean (true or false)";
    }
    return type.getSimpleName();
  }

  private static String pathOf(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/defaults.yaml")) {
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("built-in defaults.yaml is unreadable", e);
    }
  }

  private static JsonNode readFile(Path file) {
    try {
      JsonNode node = YAML.readTree(Files.readAllBytes(file));
      if (node == null || node.isMissingNode() || node.isNull()) {
        return YAML.createObjectNode();
      }
      if (!node.isObject()) {
        throw new ConfigException("config file " + file + " must hold a YAML mapping at the top");
      }
      return node;
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "config file " + file + " is not valid YAML: " + e.getOriginalMessage()
              + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
    }
  }

  /** Deep merge of mappings; anything else (lists, scalars) replaces. Unknown keys are kept for bind to report. */
  private static void merge(ObjectNode target, JsonNode source, String prefix) {
    Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode existing = target.get(f.getKey());
      if (existing instanceof ObjectNode obj && f.getValue().isObject()) {
        merge(obj, f.getValue(), prefix + f.getKey() + ".");
      } else {
        target.set(f.getKey(), f.getValue());
      }
    }
  }

  private static void set(ObjectNode tree, String path, JsonNode value) {
    String[] parts = path.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (!(child instanceof ObjectNode)) {
        child = node.putObject(parts[i]);
      }
      node = (ObjectNode) child;
    }
    node.set(parts[parts.length - 1], value);
  }

  /** An override value is read as YAML, so "9000" is a number, "true" a boolean, "[…]" a list. */
  private static JsonNode scalar(String text) {
    try {
      JsonNode node = YAML.readTree(text);
      return node == null || node.isMissingNode() ? YAML.getNodeFactory().textNode(text) : node;
    } catch (JsonProcessingException e) {
      return YAML.getNodeFactory().textNode(text);
    }
  }

  private static Map<String, String> leafPathsByNormalizedName(JsonNode defaults) {
    Map<String, String> out = new LinkedHashMap<>();
    collectLeaves(defaults, "", out);
    return out;
  }

  private static void collectLeaves(JsonNode node, String prefix, Map<String, String> out) {
    node.fields().forEachRemaining(f -> {
      String path = prefix + f.getKey();
      // An empty mapping (cloud.envs) is a key of its own: TEMPMEDIA_CLOUD_ENVS='{my-env: wx…}'.
      if (f.getValue().isObject() && !f.getValue().isEmpty()) {
        collectLeaves(f.getValue(), path + ".", out);
      } else {
        out.put(normalize(path), path);
      }
    });
  }

  private static String normalize(String name) {
    return name.replaceAll("[._]", "").toUpperCase(Locale.ROOT);
  }
}
