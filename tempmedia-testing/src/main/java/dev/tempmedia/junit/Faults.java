package dev.tempmedia.junit;

import dev.tempmedia.emulator.FaultRules;
import dev.tempmedia.wechat.ErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The server's fault rules (dev mode), as {@code POST / GET / DELETE /_tempmedia/faults} handle
 * them, without the HTTP: {@code tempmedia.faults().add(FaultRule.on(path).errcode(-1).times(1))}.
 */
public final class Faults {
  private final Supplier<FaultRules> rules;

  Faults(Supplier<FaultRules> rules) {
    this.rules = rules;
  }

  /**
   * Adds {@code rule} after the others (the first that matches and fires wins) and returns the
   * server's rule, whose {@code id()} names it in diagnoses and whose {@code fired()} counts its hits.
   *
   * @throws IllegalArgumentException when the rule is not one the server takes (no effect, an errcode
   *     it does not know, errcode with drop, …)
   */
  public dev.tempmedia.emulator.FaultRule add(FaultRule rule) {
    if (rule.errcode != null) {
      try {
        ErrorCode.fromCode(rule.errcode);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "errcode " + rule.errcode + " is not one this server knows; it can answer "
                + Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
      }
    }
    return rules
        .get()
        .add(
            rule.path,
            rule.appid,
            rule.type,
            rule.errcode,
            rule.latencyMs,
            rule.drop,
            rule.times,
            rule.probability);
  }

  /** The rules in the order they were added, used-up ones too, each with how often it fired. */
  public List<dev.tempmedia.emulator.FaultRule> list() {
    return rules.get().list();
  }

  /** Removes every rule; returns how many there were. */
  public int clear() {
    return rules.get().clear();
  }
}
