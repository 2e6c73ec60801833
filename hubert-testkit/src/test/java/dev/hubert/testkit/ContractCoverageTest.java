package dev.hubert.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every numbered rule of the KvStore Javadoc has a test in the suite, and no test names another. */
class ContractCoverageTest {
  private static final Path CONTRACT =
      Path.of("../hubert-api/src/main/java/dev/hubert/api/KvStore.java");

  /** The rule numbers in the contract: {@code <h2>N. …</h2>} then {@code <li value="M">}. */
  static TreeSet<String> contractRules() throws IOException {
    Matcher m = Pattern.compile("<h2>(\\d+)\\.|<li value=\"(\\d+)\">")
        .matcher(Files.readString(CONTRACT));
    TreeSet<String> rules = new TreeSet<>();
    String section = null;
    while (m.find()) {
      if (m.group(1) != null) {
        section = m.group(1);
      } else {
        rules.add(section + "." + m.group(2));
      }
    }
    return rules;
  }

  @Test
  void everyContractRuleIsTestedByNumber() throws IOException {
    TreeSet<String> contract = contractRules();
    assertFalse(contract.isEmpty(), "no rules found in " + CONTRACT.toAbsolutePath());
    assertTrue(contract.contains("1.1") && contract.contains("6.1"), contract.toString());
    TreeSet<String> tested = new TreeSet<>();
    Pattern name = Pattern.compile("rule(\\d+)_(\\d+)_[A-Za-z0-9_]+");
    for (String test : KvStoreConformanceSelfTest.ALL_RULE_TESTS) {
      Matcher m = name.matcher(test);
      assertTrue(m.matches(), test + " is not named ruleN_M_whatItChecks");
      tested.add(m.group(1) + "." + m.group(2));
    }
    assertEquals(contract, tested, "rules in the KvStore Javadoc vs. rules the suite tests");
  }
}
