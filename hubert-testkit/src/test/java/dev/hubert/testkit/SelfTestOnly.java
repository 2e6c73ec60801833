package dev.hubert.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables the deliberately broken suites only when {@link SuiteRunner} runs them, so an IDE or a
 * build that finds them directly reports them as disabled instead of as failures.
 */
final class SelfTestOnly implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return context.getConfigurationParameter(SuiteRunner.SELF_TEST).map(Boolean::parseBoolean)
        .orElse(false)
        ? ConditionEvaluationResult.enabled("run by KvStoreConformanceSelfTest")
        : ConditionEvaluationResult.disabled("a deliberately broken store: only"
            + " KvStoreConformanceSelfTest runs this suite");
  }
}
