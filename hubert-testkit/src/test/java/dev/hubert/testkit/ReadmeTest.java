package dev.hubert.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guide for third-party authors matches the code it describes. */
class ReadmeTest {
  private static final Path README = Path.of("README.md");
  private static final Path EXAMPLE =
      Path.of("src/test/java/dev/hubert/testkit/InMemoryKvStoreConformanceTest.java");

  private static String readme() throws IOException {
    return Files.readString(README);
  }

  @Test
  void workedExampleIsTheCompiledTestClass() throws IOException {
    String text = readme();
    int section = text.indexOf("## Worked example");
    int start = text.indexOf("```java\n", section) + "```java\n".length();
    int end = text.indexOf("\n```", start);
    assertTrue(section >= 0 && start > section && end > start, "no worked example in README");
    String source = Files.readString(EXAMPLE);
    String body = source.substring(source.indexOf('\n', source.indexOf("package ")) + 1).strip();
    assertEquals(body, text.substring(start, end).strip(),
        "README's worked example must be a copy of " + EXAMPLE + " (without its package line)");
  }

  @Test
  void namesEveryTimingOverride() throws IOException {
    String text = readme();
    for (String name : List.of(Timing.MISSING_TIMEOUT_PROPERTY, Timing.MISSING_TIMEOUT_ENV,
        Timing.SLACK_PROPERTY, Timing.SLACK_ENV, Timing.OPERATION_TIMEOUT_PROPERTY,
        Timing.OPERATION_TIMEOUT_ENV)) {
      assertTrue(text.contains("`" + name + "`"), "README does not name " + name);
    }
  }

  @Test
  void listsEveryRuleTest() throws IOException {
    String text = readme();
    for (String test : KvStoreConformanceSelfTest.ALL_RULE_TESTS) {
      assertTrue(text.contains("`" + test + "`"), "README's rule table lacks " + test);
    }
  }

  @Test
  void showsTheTestScopedDependency() throws IOException {
    String text = readme();
    assertTrue(text.contains("<artifactId>hubert-testkit</artifactId>")
        && text.contains("<scope>test</scope>"), "README lacks the dependency snippet");
  }
}
